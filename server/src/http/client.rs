//! Who the client is. Behind a reverse proxy every connection comes from the proxy, so the
//! shopper's address is read from the forwarding headers, but only when the connection comes
//! from a proxy the store trusts (`--trusted-proxy CIDR`), since anyone can write those headers:
//! RFC 7239 `Forwarded` when present, else `X-Forwarded-For`, every header line in order. The
//! client is the right-most address not in a trusted range (the left-most if all are trusted);
//! `for=unknown` or an obfuscated name there leaves the peer as the client.

use std::net::IpAddr;
use std::str::FromStr;

use axum::http::HeaderMap;

/// An address range: `192.0.2.0/24`, `2001:db8::/32`, or a bare address (a /32 or a /128).
/// IPv4-mapped IPv6 addresses count as IPv4.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Cidr {
    network: IpAddr,
    prefix: u8,
}

impl FromStr for Cidr {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let refused = || {
            format!(
                "must be an address or a range such as 10.0.0.0/8 or 2001:db8::/32, got {text:?}"
            )
        };
        let (address, prefix) = match text.split_once('/') {
            Some((address, prefix)) => (address, Some(prefix)),
            None => (text, None),
        };
        let network = address
            .parse::<IpAddr>()
            .map_err(|_| refused())?
            .to_canonical();
        let bits = if network.is_ipv4() { 32 } else { 128 };
        let prefix = match prefix {
            None => bits,
            Some(p) => p
                .parse::<u8>()
                .ok()
                .filter(|p| *p <= bits)
                .ok_or_else(refused)?,
        };
        Ok(Self { network, prefix })
    }
}

impl Cidr {
    /// Whether `address` is in the range.
    pub fn contains(&self, address: IpAddr) -> bool {
        let bits = |ip: IpAddr| match ip {
            IpAddr::V4(v4) => (u128::from(u32::from(v4)), 32),
            IpAddr::V6(v6) => (u128::from(v6), 128),
        };
        let ((network, width), (address, other)) =
            (bits(self.network), bits(address.to_canonical()));
        if width != other {
            return false;
        }
        let shift = width - u32::from(self.prefix);
        shift >= 128 || network >> shift == address >> shift
    }
}

/// The client of a request that came from `peer` with `headers`, given the trusted proxies.
pub fn client(peer: IpAddr, headers: &HeaderMap, trusted: &[Cidr]) -> IpAddr {
    let peer = peer.to_canonical();
    let is_trusted = |ip: IpAddr| trusted.iter().any(|range| range.contains(ip));
    if !is_trusted(peer) {
        return peer;
    }
    let hops = forwarded_for(headers).unwrap_or_else(|| x_forwarded_for(headers));
    for hop in hops.iter().rev() {
        match hop {
            // Unknown or obfuscated: nothing further can be believed.
            None => return peer,
            Some(ip) if is_trusted(*ip) => continue,
            Some(ip) => return *ip,
        }
    }
    hops.first().copied().flatten().unwrap_or(peer)
}

/// The `for=` of every `Forwarded` element, in order, if there is a `Forwarded` header.
fn forwarded_for(headers: &HeaderMap) -> Option<Vec<Option<IpAddr>>> {
    let lines: Vec<&str> = headers
        .get_all("forwarded")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .collect();
    if lines.is_empty() {
        return None;
    }
    let hops = lines
        .iter()
        .flat_map(|line| line.split(','))
        .filter_map(|element| {
            element.split(';').find_map(|pair| {
                let (name, value) = pair.split_once('=')?;
                name.trim()
                    .eq_ignore_ascii_case("for")
                    .then(|| node(value.trim()))
            })
        })
        .collect();
    Some(hops)
}

/// Every address of the `X-Forwarded-For` lines, in order.
fn x_forwarded_for(headers: &HeaderMap) -> Vec<Option<IpAddr>> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|line| line.split(','))
        .map(|hop| node(hop.trim()))
        .collect()
}

/// An RFC 7239 node (`192.0.2.60`, `"192.0.2.60:4711"`, `"[2001:db8::1]:4711"`), as an address;
/// `None` for `unknown`, an obfuscated name (`_hidden`) or anything else.
fn node(text: &str) -> Option<IpAddr> {
    let text = text.trim_matches('"');
    if let Some(rest) = text.strip_prefix('[') {
        let (address, _) = rest.split_once(']')?;
        return address.parse::<IpAddr>().ok().map(|ip| ip.to_canonical());
    }
    let address = match text.parse::<IpAddr>() {
        Ok(ip) => ip,
        // An IPv4 address with a port.
        Err(_) => text
            .rsplit_once(':')?
            .0
            .parse::<std::net::Ipv4Addr>()
            .ok()?
            .into(),
    };
    Some(address.to_canonical())
}

#[cfg(test)]
mod tests {
    use super::*;
    use axum::http::HeaderValue;

    fn ip(text: &str) -> IpAddr {
        text.parse().expect("an address")
    }

    fn headers(lines: &[(&'static str, &'static str)]) -> HeaderMap {
        let mut headers = HeaderMap::new();
        for (name, value) in lines {
            headers.append(*name, HeaderValue::from_static(value));
        }
        headers
    }

    fn trusted() -> Vec<Cidr> {
        ["127.0.0.1", "10.0.0.0/8", "2001:db8:ffff::/48"]
            .iter()
            .map(|c| c.parse().expect("a range"))
            .collect()
    }

    #[test]
    fn ranges_are_read_and_matched() {
        let range: Cidr = "10.0.0.0/8".parse().expect("range");
        assert!(range.contains(ip("10.200.3.4")));
        assert!(
            range.contains(ip("::ffff:10.1.2.3")),
            "IPv4-mapped counts as IPv4"
        );
        assert!(!range.contains(ip("11.0.0.1")));
        let one: Cidr = "192.0.2.7".parse().expect("bare");
        assert!(one.contains(ip("192.0.2.7")) && !one.contains(ip("192.0.2.8")));
        let v6: Cidr = "2001:db8::/32".parse().expect("v6");
        assert!(v6.contains(ip("2001:db8:1::9")) && !v6.contains(ip("2001:db9::1")));
        let all: Cidr = "0.0.0.0/0".parse().expect("all");
        assert!(all.contains(ip("203.0.113.1")) && !all.contains(ip("2001:db8::1")));
        for bad in ["10.0.0.0/33", "shop.example", "10.0.0.0/", "::/129", ""] {
            assert!(bad.parse::<Cidr>().is_err(), "{bad}");
        }
    }

    #[test]
    fn an_untrusted_peer_is_the_client_whatever_it_says() {
        let said = headers(&[("x-forwarded-for", "198.51.100.1")]);
        assert_eq!(
            client(ip("203.0.113.9"), &said, &trusted()),
            ip("203.0.113.9")
        );
        assert_eq!(client(ip("203.0.113.9"), &said, &[]), ip("203.0.113.9"));
    }

    #[test]
    fn the_right_most_untrusted_address_is_the_client() {
        // A shopper who writes their own X-Forwarded-For is not believed past the proxies.
        let chain = headers(&[("x-forwarded-for", "1.2.3.4, 198.51.100.1, 10.0.0.5")]);
        assert_eq!(
            client(ip("127.0.0.1"), &chain, &trusted()),
            ip("198.51.100.1")
        );
        // Repeated lines read in order.
        let lines = headers(&[
            ("x-forwarded-for", "1.2.3.4"),
            ("x-forwarded-for", "198.51.100.2, 10.9.9.9"),
        ]);
        assert_eq!(
            client(ip("10.0.0.1"), &lines, &trusted()),
            ip("198.51.100.2")
        );
        // All trusted: the left-most.
        let inside = headers(&[("x-forwarded-for", "10.1.1.1, 10.2.2.2")]);
        assert_eq!(client(ip("127.0.0.1"), &inside, &trusted()), ip("10.1.1.1"));
        // No header from a trusted peer: the peer.
        assert_eq!(
            client(ip("127.0.0.1"), &HeaderMap::new(), &trusted()),
            ip("127.0.0.1")
        );
    }

    #[test]
    fn forwarded_is_preferred_and_read_as_rfc_7239_writes_it() {
        let both = headers(&[
            (
                "forwarded",
                "for=192.0.2.60;proto=https, for=\"[2001:db8:cafe::17]:4711\"",
            ),
            ("x-forwarded-for", "198.51.100.1"),
        ]);
        assert_eq!(
            client(ip("127.0.0.1"), &both, &trusted()),
            ip("2001:db8:cafe::17")
        );
        let ported = headers(&[("forwarded", "for=\"192.0.2.61:8080\";by=10.0.0.1")]);
        assert_eq!(
            client(ip("127.0.0.1"), &ported, &trusted()),
            ip("192.0.2.61")
        );
        let mapped = headers(&[("forwarded", "For=\"[::ffff:192.0.2.62]\"")]);
        assert_eq!(
            client(ip("::ffff:127.0.0.1"), &mapped, &trusted()),
            ip("192.0.2.62")
        );
    }

    #[test]
    fn unknown_or_obfuscated_leaves_the_peer_as_the_client() {
        for said in [
            "for=unknown",
            "for=_hidden, for=10.0.0.3",
            "for=\"_gazonk\"",
        ] {
            let line = headers(&[("forwarded", Box::leak(said.to_string().into_boxed_str()))]);
            assert_eq!(
                client(ip("127.0.0.1"), &line, &trusted()),
                ip("127.0.0.1"),
                "{said}"
            );
        }
        let garbage = headers(&[("x-forwarded-for", "not-an-address")]);
        assert_eq!(
            client(ip("127.0.0.1"), &garbage, &trusted()),
            ip("127.0.0.1")
        );
    }
}
