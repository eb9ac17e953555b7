//! The authenticity guard: is this page the genuine store, before the shopper types anything?
//! It fails closed on what the browser reports: the scheme and secure context, the exact host
//! allowlist, the origins of any frames around the page, and every endpoint the widget will call.
//! A refused host may then be graded ([`lookalike`]). As the threat model in
//! docs/ARCHITECTURE.md says: a tripwire for lazy clones and misconfiguration, not a security
//! boundary; the server enforces what matters.

pub mod lookalike;
pub mod report;
pub mod skeleton;

use lookalike::{classify, Lookalike};
use skeleton::{idn_spoof, unicode};

use super::json::Json;
use super::url::address;
use super::url::host::{is_loopback, HostPattern};
use super::url::Endpoint;

/// Why a page is not trusted. Names are a stable surface (the merchant's tool prints them).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Not `https:` in a secure context (plain `http:` only on loopback in a development build).
    InsecureScheme,
    /// The host is not on the allowlist.
    HostNotAllowed,
    /// The host imitates an allowed one.
    Lookalike,
    /// A label of the host shows the signs of an IDN spoof (mixed or lookalike scripts).
    IdnSpoof,
    /// The address could not be read at all.
    InvalidUrl,
    /// The page is framed by an origin that is not allowed, or the browser cannot say by whom.
    Framed,
    /// An endpoint the widget would call is not an allowed `https:` address.
    EndpointNotAllowed,
}

impl Reason {
    /// Every reason, for checking names that come back (clone reports).
    pub const ALL: [Reason; 7] = [
        Reason::InsecureScheme,
        Reason::HostNotAllowed,
        Reason::Lookalike,
        Reason::IdnSpoof,
        Reason::InvalidUrl,
        Reason::Framed,
        Reason::EndpointNotAllowed,
    ];

    /// The kebab-case name.
    pub fn name(self) -> &'static str {
        match self {
            Reason::InsecureScheme => "insecure-scheme",
            Reason::HostNotAllowed => "host-not-allowed",
            Reason::Lookalike => "lookalike",
            Reason::IdnSpoof => "idn-spoof",
            Reason::InvalidUrl => "invalid-url",
            Reason::Framed => "framed",
            Reason::EndpointNotAllowed => "endpoint-not-allowed",
        }
    }
}

/// What the browser says about the page, as the guard reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// `location.protocol` without the colon (`https`).
    pub scheme: String,
    /// `location.hostname`: canonical (lower case, punycode), possibly with a trailing dot.
    pub host: String,
    /// `window.isSecureContext`.
    pub secure_context: bool,
    /// `window.top !== window.self`.
    pub framed: bool,
    /// `location.ancestorOrigins`, innermost first, when the browser offers it.
    pub ancestors: Option<Vec<String>>,
}

impl Page {
    /// A top-level page at `url`, as the merchant's tool assesses one; `None` when `url` cannot
    /// be read. Lower-cased first, as browsers map a typed address.
    pub fn at(url: &str) -> Option<Self> {
        let address = address::parse(&url.to_lowercase())?;
        Some(Self {
            secure_context: address.scheme == "https" || is_loopback(&address.host),
            scheme: address.scheme,
            host: address.host,
            framed: false,
            ancestors: None,
        })
    }
}

/// The guard's rules for one store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Guard {
    /// Hosts where the widget may run. Default: none, so nothing is trusted until configured.
    pub allow: Vec<HostPattern>,
    /// A development build: plain `http:` is accepted on loopback hosts only. Default `false`.
    pub development: bool,
    /// Accept being framed where the browser cannot list the frame's ancestors (Firefox before
    /// `ancestorOrigins`). Default `false`: unknown framing fails.
    pub allow_unlisted_framing: bool,
}

/// The guard's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// No reason to refuse: the shopper may type.
    pub trusted: bool,
    /// Why not, in the order checked.
    pub reasons: Vec<Reason>,
    /// The allowed store a refused host imitates, and how.
    pub lookalike: Option<Lookalike>,
}

impl Verdict {
    /// The verdict a page gets when even its address cannot be read.
    pub fn unreadable() -> Self {
        Self {
            trusted: false,
            reasons: vec![Reason::InvalidUrl],
            lookalike: None,
        }
    }

    /// `{"trusted", "reasons", "lookalike_of", "lookalike"}`: the verdict as the merchant's tool
    /// prints it and `assessPage` returns it.
    pub fn to_json(&self) -> Json {
        let reasons = self.reasons.iter().map(|r| Json::from(r.name())).collect();
        Json::object([
            ("trusted", self.trusted.into()),
            ("reasons", Json::Array(reasons)),
            (
                "lookalike_of",
                self.lookalike.as_ref().map(|l| l.target.as_str()).into(),
            ),
            (
                "lookalike",
                self.lookalike.as_ref().map(|l| l.kind.name()).into(),
            ),
        ])
    }
}

impl Guard {
    /// Whether `host` (canonical, a trailing dot allowed) is on the allowlist.
    pub fn allows(&self, host: &str) -> bool {
        let host = host.strip_suffix('.').unwrap_or(host);
        self.allow.iter().any(|pattern| pattern.matches(host))
    }

    /// Whether an origin (`https://shop.example[:port]`, as `ancestorOrigins` lists them) is an
    /// allowed one under the same scheme rules as the page. An opaque `null` origin never is.
    fn allows_origin(&self, origin: &str) -> bool {
        address::parse(origin)
            .is_some_and(|a| self.secure(&a.scheme, &a.host, true) && self.allows(&a.host))
    }

    fn secure(&self, scheme: &str, host: &str, secure_context: bool) -> bool {
        (scheme == "https" && secure_context)
            || (self.development && scheme == "http" && is_loopback(host))
    }

    /// Whether the widget may call `endpoint` from a page served from `page_host`: a
    /// same-origin path, or an absolute `https:` URL on an allowed host. Checked before any
    /// request.
    pub fn allows_endpoint(&self, endpoint: &str, page_host: &str) -> bool {
        match Endpoint::parse(endpoint) {
            Some(Endpoint::SameOrigin) => self.allows(page_host),
            Some(Endpoint::Absolute(a)) => a.scheme == "https" && self.allows(&a.host),
            None => false,
        }
    }

    /// Assesses a page. Every reason found is listed; the page is trusted only with none.
    pub fn assess(&self, page: &Page) -> Verdict {
        let mut reasons = Vec::new();
        if !self.secure(&page.scheme, &page.host, page.secure_context) {
            reasons.push(Reason::InsecureScheme);
        }
        let host = page.host.strip_suffix('.').unwrap_or(&page.host);
        let mut lookalike = None;
        if !self.allows(host) {
            reasons.push(Reason::HostNotAllowed);
            lookalike = classify(host, &self.allow);
            if lookalike.is_some() {
                reasons.push(Reason::Lookalike);
            }
            if host.split('.').any(|label| idn_spoof(&unicode(label))) {
                reasons.push(Reason::IdnSpoof);
            }
        }
        if page.framed {
            let known = match &page.ancestors {
                // An empty list from a framed page says nothing: as unknown.
                Some(origins) if !origins.is_empty() => {
                    origins.iter().all(|o| self.allows_origin(o))
                }
                Some(_) => self.allow_unlisted_framing,
                None => self.allow_unlisted_framing,
            };
            if !known {
                reasons.push(Reason::Framed);
            }
        }
        Verdict {
            trusted: reasons.is_empty(),
            reasons,
            lookalike,
        }
    }
}

/// The allowlist a widget enforces: the page's config, bounded by the list compiled into the
/// package (`CHECKOUT_VERIFY_ALLOW` at build time), so a copied page cannot widen it by editing
/// its config. Without a page list the compiled one applies; without a compiled one the page's.
/// Entries are separated by commas or white space.
pub fn bounded_allowlist(
    page: &[HostPattern],
    compiled: Option<&str>,
) -> Result<Vec<HostPattern>, String> {
    let Some(compiled) = compiled else {
        return Ok(page.to_vec());
    };
    let built: Vec<HostPattern> = compiled
        .split([',', ' ', '\n', '\t'])
        .filter(|entry| !entry.is_empty())
        .map(|entry| {
            HostPattern::parse(entry)
                .ok_or(format!("CHECKOUT_VERIFY_ALLOW: {entry:?} is not a host"))
        })
        .collect::<Result<_, _>>()?;
    if page.is_empty() {
        return Ok(built);
    }
    match page
        .iter()
        .find(|entry| !built.iter().any(|outer| entry.within(outer)))
    {
        Some(outside) => Err(format!(
            "{} is not in the allowlist this package was built with",
            outside.host()
        )),
        None => Ok(page.to_vec()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use lookalike::Kind;

    fn guard(allow: &[&str]) -> Guard {
        Guard {
            allow: allow
                .iter()
                .map(|a| HostPattern::parse(a).expect("a host"))
                .collect(),
            ..Guard::default()
        }
    }

    fn page(scheme: &str, host: &str) -> Page {
        Page {
            scheme: scheme.into(),
            host: host.into(),
            secure_context: scheme == "https" || host == "localhost",
            ..Page::default()
        }
    }

    fn reasons(verdict: &Verdict) -> Vec<&'static str> {
        verdict.reasons.iter().map(|r| r.name()).collect()
    }

    #[test]
    fn the_genuine_page_is_trusted_and_nothing_else() {
        let g = guard(&["shop.example", "*.shop.example"]);
        for host in ["shop.example", "shop.example.", "eu.shop.example"] {
            let verdict = g.assess(&page("https", host));
            assert!(verdict.trusted, "{host}: {:?}", verdict.reasons);
        }
        assert!(!g.assess(&page("https", "shop.example.evil.io")).trusted);
        assert!(
            !guard(&[]).assess(&page("https", "shop.example")).trusted,
            "fails closed"
        );
    }

    #[test]
    fn plain_http_only_on_loopback_in_development() {
        let g = guard(&["localhost", "shop.example"]);
        assert_eq!(
            reasons(&g.assess(&page("http", "shop.example"))),
            ["insecure-scheme"]
        );
        assert_eq!(
            reasons(&g.assess(&page("http", "localhost"))),
            ["insecure-scheme"]
        );
        let dev = Guard {
            development: true,
            ..g.clone()
        };
        assert!(dev.assess(&page("http", "localhost")).trusted);
        assert_eq!(
            reasons(&dev.assess(&page("http", "shop.example"))),
            ["insecure-scheme"]
        );
        let not_secure = Page {
            secure_context: false,
            ..page("https", "shop.example")
        };
        assert_eq!(reasons(&g.assess(&not_secure)), ["insecure-scheme"]);
    }

    #[test]
    fn a_lookalike_is_named_with_its_target() {
        let g = guard(&["shop.example", "paypal.com"]);
        let verdict = g.assess(&page("https", "xn--pypal-4ve.com"));
        assert_eq!(
            reasons(&verdict),
            ["host-not-allowed", "lookalike", "idn-spoof"]
        );
        assert_eq!(
            verdict.lookalike,
            Some(Lookalike {
                target: "paypal.com".into(),
                kind: Kind::Homograph
            })
        );
        assert_eq!(
            verdict.to_json().to_string(),
            r#"{"trusted":false,"reasons":["host-not-allowed","lookalike","idn-spoof"],"lookalike_of":"paypal.com","lookalike":"homograph"}"#
        );
        let unrelated = g.assess(&page("https", "evil.io"));
        assert_eq!(reasons(&unrelated), ["host-not-allowed"]);
        assert_eq!(unrelated.lookalike, None);
    }

    #[test]
    fn framing_needs_every_ancestor_allowed() {
        let g = guard(&["shop.example", "pay.example"]);
        let framed = |ancestors: Option<Vec<&str>>| Page {
            framed: true,
            ancestors: ancestors.map(|a| a.into_iter().map(String::from).collect()),
            ..page("https", "shop.example")
        };
        assert!(
            g.assess(&framed(Some(vec![
                "https://pay.example",
                "https://shop.example:443"
            ])))
            .trusted
        );
        for ancestors in [
            Some(vec!["https://evil.io"]),
            Some(vec!["https://pay.example", "https://evil.io"]),
            Some(vec!["null"]),
            Some(vec!["http://pay.example"]),
            Some(vec![]),
            None,
        ] {
            assert_eq!(
                reasons(&g.assess(&framed(ancestors.clone()))),
                ["framed"],
                "{ancestors:?}"
            );
        }
        let lenient = Guard {
            allow_unlisted_framing: true,
            ..g
        };
        assert!(lenient.assess(&framed(None)).trusted);
    }

    #[test]
    fn endpoints_are_same_origin_or_allowed_https() {
        let g = guard(&["shop.example", "api.shop.example"]);
        assert!(g.allows_endpoint("/api/verification", "shop.example"));
        assert!(g.allows_endpoint("https://api.shop.example/otp", "shop.example"));
        for endpoint in [
            "http://api.shop.example/otp",
            "https://evil.io/otp",
            "//evil.io/otp",
            "https://api.shop.example.evil.io/otp",
            "https://shop.example@evil.io/otp",
            "/\\evil.io/otp",
            "/\t/evil.io/otp",
            "/\n/evil.io/otp",
        ] {
            assert!(!g.allows_endpoint(endpoint, "shop.example"), "{endpoint}");
        }
        assert!(!g.allows_endpoint("/api/verification", "evil.io"));
    }

    #[test]
    fn the_merchants_tool_reads_urls() {
        let g = guard(&["shop.example"]);
        let assess = |url: &str| Page::at(url).map(|p| reasons(&g.assess(&p)));
        assert_eq!(assess("https://SHOP.example./checkout"), Some(vec![]));
        assert_eq!(
            Page::at("https://BÜCHER.example/")
                .map(|p| p.host)
                .as_deref(),
            Some("xn--bcher-kva.example")
        );
        assert_eq!(assess("https://shop.example:8443/"), Some(vec![]));
        assert_eq!(
            assess("http://shop.example/"),
            Some(vec!["insecure-scheme"])
        );
        assert_eq!(
            assess("https://shop.example@evil.io/"),
            Some(vec!["host-not-allowed"]),
            "userinfo is not the host"
        );
        assert_eq!(assess("https://127.0.0.1/"), Some(vec!["host-not-allowed"]));
        assert_eq!(assess("https://[::1]/"), Some(vec!["host-not-allowed"]));
        assert_eq!(assess("not a url"), None);
        assert_eq!(
            Verdict::unreadable().to_json().to_string(),
            r#"{"trusted":false,"reasons":["invalid-url"],"lookalike_of":null,"lookalike":null}"#
        );
    }

    #[test]
    fn a_compiled_allowlist_bounds_the_page_config() {
        let parse = |list: &[&str]| -> Vec<HostPattern> {
            list.iter()
                .map(|a| HostPattern::parse(a).expect("a host"))
                .collect()
        };
        let compiled = Some("shop.example, *.shop.example");
        assert_eq!(
            bounded_allowlist(&parse(&["eu.shop.example"]), compiled),
            Ok(parse(&["eu.shop.example"]))
        );
        assert_eq!(
            bounded_allowlist(&[], compiled),
            Ok(parse(&["shop.example", "*.shop.example"]))
        );
        let widened = bounded_allowlist(&parse(&["shop.example", "evil.io"]), compiled);
        assert!(widened.is_err_and(|e| e.contains("evil.io")));
        assert_eq!(
            bounded_allowlist(&parse(&["evil.io"]), None),
            Ok(parse(&["evil.io"])),
            "without a compiled list, the page's"
        );
        assert!(bounded_allowlist(&[], Some("shop.example, sh*p")).is_err());
    }
}
