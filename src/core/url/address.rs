//! The parts of a URL the authenticity guard needs (scheme, host, port; userinfo only so it
//! cannot pass for the host), for addresses that do not come from the browser: the merchant's
//! tool reads URLs from its input, and endpoints come from the page's config. In the widget the
//! page's own address comes from `location`, which the browser has already parsed.

use super::host::canonical;
use crate::core::text;

/// A parsed absolute URL.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Address {
    /// Lower-case scheme without `:` (`https`).
    pub scheme: String,
    /// `user:password` before an `@`, if any: never part of the host.
    pub userinfo: Option<String>,
    /// Canonical host (see [`canonical`]).
    pub host: String,
    /// The port, when one is written.
    pub port: Option<u16>,
}

/// Parses `scheme://[userinfo@]host[:port][/path][?query][#fragment]`; `None` when `text` is
/// not such a URL or its host is not a host name or IP literal.
pub fn parse(text: &str) -> Option<Address> {
    let (scheme, rest) = text::split_once(text.trim(), "://")?;
    let scheme_ok = scheme.starts_with(|c: char| c.is_ascii_alphabetic())
        && scheme
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'+' | b'-' | b'.'));
    if !scheme_ok {
        return None;
    }
    let authority = rest.split(['/', '?', '#', '\\']).next().unwrap_or_default();
    let (userinfo, host_port) = match authority.rsplit_once('@') {
        Some((userinfo, host_port)) => (Some(userinfo.to_string()), host_port),
        None => (None, authority),
    };
    let (host, port) = match host_port.strip_prefix('[') {
        Some(v6) => {
            let (inner, after) = v6.split_once(']')?;
            if !after.is_empty() && !after.starts_with(':') {
                return None;
            }
            (format!("[{inner}]"), after.strip_prefix(':'))
        }
        None => match host_port.rsplit_once(':') {
            Some((host, port)) => (host.to_string(), Some(port)),
            None => (host_port.to_string(), None),
        },
    };
    let port = match port {
        None | Some("") => None,
        Some(digits) if digits.bytes().all(|b| b.is_ascii_digit()) => Some(digits.parse().ok()?),
        Some(_) => return None,
    };
    Some(Address {
        scheme: scheme.to_ascii_lowercase(),
        userinfo,
        host: canonical(&host)?,
        port,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn host_of(url: &str) -> Option<String> {
        parse(url).map(|a| a.host)
    }

    #[test]
    fn hosts_as_browsers_read_them() {
        for (url, host) in [
            ("https://shop.example/checkout", "shop.example"),
            ("HTTPS://SHOP.Example./pay?x=1#y", "shop.example"),
            ("https://shop.example:8443/", "shop.example"),
            ("https://user:pw@shop.example/", "shop.example"),
            ("https://shop.example@evil.io/shop.example", "evil.io"),
            ("https://bücher.Example/", "xn--bcher-kva.example"),
            ("https://xn--bcher-kva.example/", "xn--bcher-kva.example"),
            ("https://127.0.0.1:8080/", "127.0.0.1"),
            ("https://[::1]:8443/", "[::1]"),
            ("https://[2001:DB8::1]/", "[2001:db8::1]"),
            ("http://localhost:8080/", "localhost"),
            ("https://shop.example?next=https://evil.io", "shop.example"),
        ] {
            assert_eq!(host_of(url).as_deref(), Some(host), "{url}");
        }
        let address = parse("HTTP://user@Shop.example:80/").expect("a URL");
        assert_eq!(address.scheme, "http");
        assert_eq!(address.userinfo.as_deref(), Some("user"));
        assert_eq!(address.port, Some(80));
    }

    #[test]
    fn what_is_not_a_url_is_refused() {
        for bad in [
            "",
            "shop.example",
            "/checkout",
            "https://",
            "https:///path",
            "https://shop..example/",
            "https://shop.example:99999/",
            "https://shop.example:80a/",
            "https://sh op.example/",
            "https://[::1/",
            "https://[::1]evil.io/",
            "1https://shop.example/",
            "javascript:alert(1)",
        ] {
            assert_eq!(parse(bad), None, "{bad:?}");
        }
    }
}
