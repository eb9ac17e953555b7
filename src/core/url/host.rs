//! Host names as the authenticity guard compares them: the canonical form browsers report
//! (lower-case ASCII, IDN labels in punycode, no trailing dot), allowlist patterns that match
//! exactly (`shop.example`) or by one whole leading label (`*.shop.example`), and the split of a
//! host into its registrable name and public suffix for the lookalike classifier.

/// A host in canonical form: lower case, IDN labels as `xn--` punycode, without the trailing dot
/// of a fully qualified name. `None` when it cannot be a host name: empty labels, characters
/// outside letters, digits and `-`, or a label that does not encode. IPv6 literals keep their
/// brackets; IPv4 literals are left as they are.
///
/// Unicode labels are encoded as given: mapping their case (IDNA) is the caller's, since the
/// browser has done it for the page and Unicode case tables would weigh on the package.
pub fn canonical(host: &str) -> Option<String> {
    if let Some(v6) = host.strip_prefix('[') {
        let inner = v6.strip_suffix(']')?;
        let valid = !inner.is_empty()
            && inner
                .bytes()
                .all(|b| b.is_ascii_hexdigit() || b == b':' || b == b'.');
        return valid.then(|| format!("[{}]", inner.to_ascii_lowercase()));
    }
    let host = host.strip_suffix('.').unwrap_or(host);
    let mut labels = Vec::new();
    for label in host.split('.') {
        let label = if label.is_ascii() {
            label.to_ascii_lowercase()
        } else {
            format!("xn--{}", idna::punycode::encode_str(label)?)
        };
        let valid = !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-');
        if !valid {
            return None;
        }
        labels.push(label);
    }
    Some(labels.join("."))
}

/// Whether `host` (canonical) is an IP address rather than a name.
pub fn is_ip_literal(host: &str) -> bool {
    host.starts_with('[')
        || host
            .split('.')
            .all(|l| !l.is_empty() && l.bytes().all(|b| b.is_ascii_digit()))
}

/// Whether `host` (canonical) is this machine: `localhost`, a `.localhost` name, 127.0.0.0/8 or
/// `[::1]`. Only there may a development build run over plain `http:`.
pub fn is_loopback(host: &str) -> bool {
    host == "localhost"
        || host.ends_with(".localhost")
        || host == "[::1]"
        || (is_ip_literal(host) && host.starts_with("127."))
}

/// Whether `text` is a bare domain name as a text message writes one: letters, digits, dots and
/// hyphens (punycode included), no scheme, port, path or user, at least one dot or `localhost`.
pub fn is_domain_name(text: &str) -> bool {
    !text.is_empty()
        && text.len() <= 253
        && text
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '.' || c == '-')
        && !text.starts_with(['.', '-'])
        && (text.contains('.') || text == "localhost")
}

/// Whether `host` is `base` or one of its subdomains, compared case-insensitively and without a
/// trailing dot: `pay.shop.example` is within `shop.example`, `evilshop.example` is not.
pub fn is_within(host: &str, base: &str) -> bool {
    let host = host.trim_end_matches('.').to_ascii_lowercase();
    let base = base.trim_end_matches('.').to_ascii_lowercase();
    match host.strip_suffix(&base) {
        Some("") => true,
        Some(rest) => rest.ends_with('.'),
        None => false,
    }
}

/// An allowlist entry: one exact host, or every host one label below a base (`*.shop.example`
/// allows `eu.shop.example`, not `shop.example` itself nor `a.b.shop.example`, as in TLS).
/// Never a suffix or substring match: `evilshop.example` and `shop.example.evil.io` stay out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum HostPattern {
    /// Exactly this host.
    Exact(String),
    /// Any single label, then this base.
    AnyLabelOf(String),
}

impl HostPattern {
    /// Reads `shop.example` or `*.shop.example`, in any case, with or without a trailing dot, in
    /// Unicode or punycode. `None` when it is not a host name or the wildcard is not a whole
    /// leading label.
    pub fn parse(text: &str) -> Option<Self> {
        let text = text.trim();
        match text.strip_prefix("*.") {
            Some(base) => canonical(base)
                .filter(|b| !is_ip_literal(b) && !is_public_suffix(b))
                .map(HostPattern::AnyLabelOf),
            None if text.contains('*') => None,
            None => canonical(text).map(HostPattern::Exact),
        }
    }

    /// Whether `host` (canonical) is allowed by this entry.
    pub fn matches(&self, host: &str) -> bool {
        match self {
            HostPattern::Exact(exact) => host == exact,
            HostPattern::AnyLabelOf(base) => host
                .split_once('.')
                .is_some_and(|(label, rest)| !label.is_empty() && rest == base),
        }
    }

    /// Whether every host this entry allows is also allowed by `outer`: how a page's config is
    /// bounded by the list compiled into the package.
    pub fn within(&self, outer: &HostPattern) -> bool {
        match (self, outer) {
            (HostPattern::Exact(host), _) => outer.matches(host),
            (HostPattern::AnyLabelOf(base), HostPattern::AnyLabelOf(outer_base)) => {
                base == outer_base
            }
            (HostPattern::AnyLabelOf(_), HostPattern::Exact(_)) => false,
        }
    }

    /// The host the shopper is sent to: the exact host, or the base of a wildcard.
    pub fn host(&self) -> &str {
        match self {
            HostPattern::Exact(host) | HostPattern::AnyLabelOf(host) => host,
        }
    }
}

/// Second-level labels under which country registries sell names (`shop.co.uk`), so the
/// registrable name is the third label from the right. A short rule instead of the public suffix
/// list (about 60 KiB gzip): it only steers the classification of a host already refused.
const SECOND_LEVEL: [&str; 14] = [
    "ac", "co", "com", "edu", "gen", "go", "gob", "gov", "mil", "ne", "net", "nic", "or", "org",
];

/// Hosting platforms whose customers each get a subdomain: there the registrable name is one
/// label further left (`shop.myshopify.com` belongs to `shop`, not to Shopify).
const SHARED_SUFFIXES: [&str; 12] = [
    "appspot.com",
    "azurewebsites.net",
    "blogspot.com",
    "cloudfront.net",
    "firebaseapp.com",
    "github.io",
    "herokuapp.com",
    "myshopify.com",
    "netlify.app",
    "pages.dev",
    "vercel.app",
    "web.app",
];

/// Whether `host` is a suffix under which anyone may register (`com`, `co.uk`, `github.io`):
/// `*.co.uk` would allow every British company, so a wildcard needs a registrable base.
pub fn is_public_suffix(host: &str) -> bool {
    let labels: Vec<&str> = host.split('.').collect();
    match labels[..] {
        [_] => true,
        [second, tld] => {
            (tld.len() == 2 && SECOND_LEVEL.contains(&second)) || SHARED_SUFFIXES.contains(&host)
        }
        _ => false,
    }
}

/// A host split around its registrable name: `login.shop.co.uk` → `login`, `shop`, `co.uk`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Parts<'a> {
    /// Labels left of the registrable name (may be empty).
    pub subdomain: &'a str,
    /// The label the owner registered (`shop`).
    pub name: &'a str,
    /// The public suffix (`co.uk`, `com`).
    pub suffix: &'a str,
}

impl<'a> Parts<'a> {
    /// Splits a canonical host name.
    pub fn of(host: &'a str) -> Self {
        let labels: Vec<&str> = host.split('.').collect();
        let count = labels.len();
        let last_two = count >= 3 && {
            let tld = labels[count - 1];
            (tld.len() == 2 && SECOND_LEVEL.contains(&labels[count - 2]))
                || SHARED_SUFFIXES.contains(&&*labels[count - 2..].join("."))
        };
        let suffix_labels = if last_two { 2 } else { 1 }.min(count.saturating_sub(1));
        let name_index = count - suffix_labels - 1;
        let offset = |index: usize| labels[..index].iter().map(|l| l.len() + 1).sum::<usize>();
        let name_start = offset(name_index);
        let suffix_start = offset(count - suffix_labels);
        Parts {
            subdomain: host.get(..name_start.saturating_sub(1)).unwrap_or_default(),
            name: labels[name_index],
            suffix: host.get(suffix_start..).unwrap_or_default(),
        }
    }

    /// The registrable domain: name and suffix (`shop.co.uk`).
    pub fn registrable(&self) -> String {
        if self.suffix.is_empty() {
            self.name.to_string()
        } else {
            format!("{}.{}", self.name, self.suffix)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_form_is_what_browsers_report() {
        for (input, expected) in [
            ("Shop.Example", Some("shop.example")),
            ("shop.example.", Some("shop.example")),
            ("bücher.Example", Some("xn--bcher-kva.example")),
            ("xn--bcher-kva.example", Some("xn--bcher-kva.example")),
            ("[::1]", Some("[::1]")),
            ("[2001:DB8::1]", Some("[2001:db8::1]")),
            ("127.0.0.1", Some("127.0.0.1")),
            ("shop..example", None),
            ("shop.example..", None),
            ("", None),
            ("shop_example.com", None),
            ("shop example.com", None),
            ("[::1", None),
            ("[]", None),
        ] {
            assert_eq!(canonical(input).as_deref(), expected, "{input}");
        }
    }

    #[test]
    fn domain_names_and_subdomains() {
        for name in [
            "shop.example",
            "xn--bcher-kva.example",
            "localhost",
            "a-b.c",
        ] {
            assert!(is_domain_name(name), "{name}");
        }
        for bad in [
            "",
            "shop",
            ".shop.example",
            "-x.example",
            "shop.example:443",
            "a/b.c",
        ] {
            assert!(!is_domain_name(bad), "{bad}");
        }
        assert!(is_within("shop.example", "shop.example"));
        assert!(is_within("Pay.Shop.Example.", "shop.example"));
        assert!(!is_within("evilshop.example", "shop.example"));
        assert!(!is_within("shop.example", "pay.shop.example"));
    }

    /// Pairs checked against Python's `str.encode("punycode")`.
    const PUNYCODE: [(&str, &str); 7] = [
        ("bücher", "bcher-kva"),
        ("münchen", "mnchen-3ya"),
        ("аррӏе", "80ak6aa92e"),
        ("пример", "e1afmkfd"),
        ("日本語", "wgv71a119e"),
        ("paypаl", "paypl-7ve"),
        ("a-b-ü", "a-b--3ra"),
    ];

    #[test]
    fn unicode_labels_take_their_punycode_form() {
        for (unicode, puny) in PUNYCODE {
            assert_eq!(
                canonical(&format!("{unicode}.example")),
                Some(format!("xn--{puny}.example")),
                "{unicode}"
            );
        }
    }

    #[test]
    fn public_suffixes() {
        for suffix in ["com", "co.uk", "com.br", "github.io", "myshopify.com"] {
            assert!(is_public_suffix(suffix), "{suffix}");
        }
        for host in [
            "shop.example",
            "shop.co.uk",
            "acme.myshopify.com",
            "example.com",
        ] {
            assert!(!is_public_suffix(host), "{host}");
        }
    }

    #[test]
    fn loopback_and_ip_literals() {
        for host in [
            "localhost",
            "shop.localhost",
            "127.0.0.1",
            "127.1.2.3",
            "[::1]",
        ] {
            assert!(is_loopback(host), "{host}");
        }
        for host in ["localhost.example", "128.0.0.1", "[::2]", "shop.example"] {
            assert!(!is_loopback(host), "{host}");
        }
        assert!(is_ip_literal("10.0.0.1") && is_ip_literal("[fe80::1]"));
        assert!(!is_ip_literal("1.example") && !is_ip_literal("shop.example"));
    }

    #[test]
    fn patterns_match_exactly_or_by_one_leading_label() {
        let exact = HostPattern::parse("Shop.Example.").unwrap();
        assert!(exact.matches("shop.example"));
        for host in [
            "www.shop.example",
            "evilshop.example",
            "shop.example.evil.io",
            "shop.exampl",
        ] {
            assert!(!exact.matches(host), "{host}");
        }
        let any = HostPattern::parse("*.shop.example").unwrap();
        assert!(any.matches("eu.shop.example"));
        for host in [
            "shop.example",
            "a.b.shop.example",
            "evil-shop.example",
            "eu.shop.example.evil.io",
        ] {
            assert!(!any.matches(host), "{host}");
        }
        assert_eq!(any.host(), "shop.example");
        for bad in [
            "*shop.example",
            "shop.*.example",
            "*.com",
            "*.",
            "sh*p.example",
            "*.*.example",
        ] {
            assert_eq!(HostPattern::parse(bad), None, "{bad}");
        }
    }

    #[test]
    fn a_page_list_is_bounded_by_the_compiled_one() {
        let compiled = HostPattern::parse("*.shop.example").unwrap();
        assert!(HostPattern::parse("eu.shop.example")
            .unwrap()
            .within(&compiled));
        assert!(HostPattern::parse("*.shop.example")
            .unwrap()
            .within(&compiled));
        assert!(!HostPattern::parse("evil.io").unwrap().within(&compiled));
        let exact = HostPattern::parse("shop.example").unwrap();
        assert!(!HostPattern::parse("*.shop.example").unwrap().within(&exact));
    }

    #[test]
    fn registrable_names_and_suffixes() {
        for (host, subdomain, name, suffix) in [
            ("shop.example", "", "shop", "example"),
            ("www.amazon.co.uk", "www", "amazon", "co.uk"),
            ("a.b.google.com.br", "a.b", "google", "com.br"),
            ("shop.example.com.evil.io", "shop.example.com", "evil", "io"),
            ("acme.myshopify.com", "", "acme", "myshopify.com"),
            ("co.uk", "", "co", "uk"),
            ("localhost", "", "localhost", ""),
        ] {
            let parts = Parts::of(host);
            assert_eq!(
                (parts.subdomain, parts.name, parts.suffix),
                (subdomain, name, suffix),
                "{host}"
            );
        }
        assert_eq!(Parts::of("www.amazon.co.uk").registrable(), "amazon.co.uk");
    }
}
