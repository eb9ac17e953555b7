//! URLs and host names, in one place: the canonical form browsers report, allowlist patterns,
//! the parts of an absolute URL, punycode (through the `idna` crate's `punycode`), and the rule for an endpoint the widget may be configured to
//! call. The authenticity guard, the config's endpoint check and the code reader's origin-bound
//! line all read hosts through here, so a host means the same thing everywhere.

pub mod address;
pub mod host;

use address::Address;

/// An endpoint as written in a config: a path on the page's own origin, or an absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Endpoint {
    /// `/api/verification`: the page's own scheme, host and port.
    SameOrigin,
    /// `https://api.shop.example/verify`, parsed.
    Absolute(Address),
}

impl Endpoint {
    /// Reads an endpoint as a browser would resolve it, refusing what would leave the origin
    /// unnoticed: scheme-relative `//host`, and any backslash, white space or control character
    /// (browsers drop tabs and line breaks from URLs and read `\` as `/`, so `/\evil.io` is
    /// `//evil.io`). `None` when it is neither a same-origin path nor an absolute URL.
    pub fn parse(text: &str) -> Option<Self> {
        let clean = !text
            .chars()
            .any(|c| c == '\\' || c.is_whitespace() || c.is_control());
        if !clean {
            return None;
        }
        if text.starts_with('/') && !text.starts_with("//") {
            return Some(Self::SameOrigin);
        }
        address::parse(text).map(Self::Absolute)
    }

    /// Whether the endpoint is on the page's origin or an `https:` URL: the only two ways the
    /// widget may send a code anywhere.
    pub fn is_same_origin_or_https(&self) -> bool {
        match self {
            Self::SameOrigin => true,
            Self::Absolute(address) => address.scheme == "https",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn endpoints_read_as_browsers_resolve_them() {
        assert_eq!(
            Endpoint::parse("/api/verification"),
            Some(Endpoint::SameOrigin)
        );
        let absolute = Endpoint::parse("https://api.shop.example/check").expect("a URL");
        assert!(absolute.is_same_origin_or_https());
        assert!(!Endpoint::parse("http://shop.example/otp")
            .expect("a URL")
            .is_same_origin_or_https());
        for bad in [
            "//evil.example/otp",
            "/\\evil.example/otp",
            "/otp send",
            "/otp\tsend",
            "https://shop.example\\@evil.example/",
            "otp/send",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(Endpoint::parse(bad), None, "{bad:?}");
        }
    }
}
