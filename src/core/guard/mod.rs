//! The authenticity gate: is this page the genuine store, before the shopper types anything?
//! It fails closed on what the browser reports: the scheme and secure context, the exact host
//! allowlist, the origins of any frames around the page, and every endpoint the widget will call.
//!
//! The gate only decides pass or fail, exactly; it ships in the widget. Grading a failure (which
//! store a refused host imitates, and how) is the [`lookalike`] classifier's, and runs where
//! reports are read: the reference server and the merchant's `assess` tool. As the threat model in
//! docs/ARCHITECTURE.md says: a tripwire for lazy clones and misconfiguration, not a security
//! boundary; the server enforces what matters.

pub mod lookalike;
pub mod report;
pub mod skeleton;
#[cfg(test)]
mod tests;

use super::json::Json;
use super::url::address;
use super::url::host::{is_loopback, HostPattern};
use super::url::Endpoint;

/// Why a page is not trusted. Names are a stable surface (events, the merchant's tool, reports).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// Not `https:` in a secure context (plain `http:` only on loopback in development).
    InsecureScheme,
    /// The host is not on the allowlist.
    HostNotAllowed,
    /// The host imitates an allowed one (a grade, from [`lookalike`]).
    Lookalike,
    /// A label of the host shows the signs of an IDN spoof (a grade, from [`lookalike`]).
    IdnSpoof,
    /// The address could not be read at all.
    InvalidUrl,
    /// The page is framed by an origin that is not allowed, or the browser cannot say by whom.
    Framed,
    /// An endpoint the widget would call is not on the page's origin or an allowed `https:` host.
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

    /// The reason named `name`, if it is one.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|reason| reason.name() == name)
    }
}

/// What the browser says about the page, as the gate reads it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Page {
    /// `location.protocol` without the colon (`https`).
    pub scheme: String,
    /// `location.hostname`: canonical (lower case, punycode), possibly with a trailing dot.
    pub host: String,
    /// `location.port`, when the address names one.
    pub port: Option<u16>,
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
            port: address.port,
            framed: false,
            ancestors: None,
        })
    }

    /// The page as the shell reports it: `{"scheme", "host", "port", "secure", "framed",
    /// "ancestors"}` (`port` a string, empty for the scheme's default; `ancestors` `null` where
    /// the browser cannot list them). Anything unreadable is read as the least trusting value.
    pub fn from_json(json: &Json) -> Self {
        let text = |key| json.get(key).and_then(Json::as_str).unwrap_or_default();
        let flag = |key| json.get(key).and_then(Json::as_bool);
        Self {
            scheme: text("scheme").to_string(),
            host: text("host").to_string(),
            port: text("port").parse().ok(),
            secure_context: flag("secure").unwrap_or(false),
            framed: flag("framed").unwrap_or(true),
            ancestors: json
                .get("ancestors")
                .and_then(Json::as_array)
                .map(|origins| {
                    origins
                        .iter()
                        .map(|o| o.as_str().unwrap_or("null").to_string())
                        .collect()
                }),
        }
    }

    /// The host without the trailing dot of a fully qualified name.
    fn host(&self) -> &str {
        self.host.strip_suffix('.').unwrap_or(&self.host)
    }
}

/// The gate's rules for one store.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Guard {
    /// Hosts where the widget may run. Default: none, so nothing is trusted until configured.
    pub allow: Vec<HostPattern>,
    /// A development build: plain `http:` is accepted on loopback hosts only. Default `false`.
    pub development: bool,
    /// Accept being framed where the browser cannot list the frame's ancestors (Firefox before
    /// `ancestorOrigins`). Default `false`: unknown framing fails.
    pub allow_unlisted_framing: bool,
    /// Every URL the widget will call (send, check, report), as configured. Default: none.
    pub endpoints: Vec<String>,
}

/// The gate's answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Verdict {
    /// No reason to refuse: the shopper may type.
    pub trusted: bool,
    /// Why not, in the order checked.
    pub reasons: Vec<Reason>,
    /// The genuine store's host, to send the shopper to: the page's own when it is allowed,
    /// else the first allowed one. `None` only when nothing is allowed.
    pub genuine: Option<String>,
    /// The genuine store's address, as a link: `https://<genuine>/`, or on loopback in
    /// development `http://<genuine>:<port>/` with the page's port.
    pub genuine_url: Option<String>,
}

impl Verdict {
    /// The verdict a page gets when even its address cannot be read.
    pub fn unreadable() -> Self {
        Self {
            trusted: false,
            reasons: vec![Reason::InvalidUrl],
            genuine: None,
            genuine_url: None,
        }
    }

    /// `{"trusted", "reasons", "genuine"}`: the verdict as `assessPage` returns it.
    pub fn to_json(&self) -> Json {
        let reasons = self.reasons.iter().map(|r| Json::from(r.name())).collect();
        Json::object([
            ("trusted", self.trusted.into()),
            ("reasons", Json::Array(reasons)),
            ("genuine", self.genuine.as_deref().into()),
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
    /// same-origin path on an allowed page, or an absolute `https:` URL on an allowed host; in
    /// development also any loopback URL (an emulator beside the page, on a port of its own).
    pub fn allows_endpoint(&self, endpoint: &str, page_host: &str) -> bool {
        match Endpoint::parse(endpoint) {
            Some(Endpoint::SameOrigin) => self.allows(page_host),
            Some(Endpoint::Absolute(a)) if self.development && is_loopback(&a.host) => {
                matches!(a.scheme.as_str(), "http" | "https")
            }
            Some(Endpoint::Absolute(a)) => a.scheme == "https" && self.allows(&a.host),
            None => false,
        }
    }

    /// Assesses a page. Every reason found is listed; the page is trusted only with none.
    pub fn assess(&self, page: &Page) -> Verdict {
        let host = page.host();
        let mut reasons = Vec::new();
        if !self.secure(&page.scheme, host, page.secure_context) {
            reasons.push(Reason::InsecureScheme);
        }
        if !self.allows(host) {
            reasons.push(Reason::HostNotAllowed);
        }
        if page.framed {
            let known = match &page.ancestors {
                // An empty list from a framed page says nothing: as unknown.
                Some(origins) if !origins.is_empty() => {
                    origins.iter().all(|o| self.allows_origin(o))
                }
                _ => self.allow_unlisted_framing,
            };
            if !known {
                reasons.push(Reason::Framed);
            }
        }
        if !self
            .endpoints
            .iter()
            .all(|endpoint| self.allows_endpoint(endpoint, host))
        {
            reasons.push(Reason::EndpointNotAllowed);
        }
        let genuine = if self.allows(host) {
            Some(host.to_string())
        } else {
            self.allow.first().map(|pattern| pattern.host().to_string())
        };
        let genuine_url = genuine.as_deref().map(|genuine| {
            match page
                .port
                .filter(|_| self.development && is_loopback(genuine))
            {
                Some(port) => format!("http://{genuine}:{port}/"),
                None if self.development && is_loopback(genuine) => format!("http://{genuine}/"),
                None => format!("https://{genuine}/"),
            }
        });
        Verdict {
            trusted: reasons.is_empty(),
            reasons,
            genuine,
            genuine_url,
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
                .ok_or(format!("CHECKOUT_VERIFY_ALLOW: \"{entry}\" is not a host"))
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
