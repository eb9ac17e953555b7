//! Which allowed store a refused host imitates, and how: the classification that words the
//! shopper's warning and grades the clone report. It never decides pass or fail; the exact
//! allowlist does (docs/ARCHITECTURE.md, "Page authenticity").
//!
//! Hosts are compared by registrable name (`paypal` of `www.paypal.co.uk`), as written and as
//! they look ([`skeleton`]), after decoding punycode.

use super::skeleton::{fold, read_digraphs, skeleton, unicode};
use crate::core::url::host::{HostPattern, Parts};

/// How a host imitates an allowed one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// Looks the same, spelt differently: `pаypal.com` (Cyrillic а), `paypa1.com`.
    Homograph,
    /// One slip of the finger away (or two, for long names): `paypall.com`, `pyapal.com`.
    Typo,
    /// The same name under another suffix: `paypal.shop`, `paypal.co.uk`.
    OtherSuffix,
    /// The whole address inside a longer one: `paypal.com.evil.io`, `paypal-com.evil.io`.
    Embedded,
    /// The name cut by dots or hyphens: `pay.pal.com`, `pay-pal.com`.
    Separated,
    /// The name with words around it: `paypal-login.com`, `securepaypal.com`.
    Combined,
}

impl Kind {
    /// Every kind, for checking names that come back (clone reports).
    pub const ALL: [Kind; 6] = [
        Kind::Homograph,
        Kind::Typo,
        Kind::OtherSuffix,
        Kind::Embedded,
        Kind::Separated,
        Kind::Combined,
    ];

    /// A stable kebab-case name, for reports and the merchant's tool.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Homograph => "homograph",
            Kind::Typo => "typo",
            Kind::OtherSuffix => "other-suffix",
            Kind::Embedded => "embedded",
            Kind::Separated => "separated",
            Kind::Combined => "combined",
        }
    }
}

/// A refused host found to imitate an allowed one.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lookalike {
    /// The allowed host it imitates: where the shopper should go instead.
    pub target: String,
    /// How.
    pub kind: Kind,
}

/// Names shorter than this are one slip from too many real names (`bbc` and `abc`): for them a
/// slip only counts under the same suffix.
const MIN_TYPO_LENGTH: usize = 5;
/// Names at least this long may be two slips away (`aliexpress` and `alliexpres`), when the
/// first letter is kept (`wiktionary` is not a slip of `dictionary`).
const MIN_TWO_TYPOS_LENGTH: usize = 9;

/// Words that phishing hosts glue to a store's name (`paypal-login`, `securepaypal`): Chromium's
/// combosquatting keywords and the words of a checkout. Other words glued to a name are too often
/// another real site (`appledaily`, `microsoftonline`).
const LURES: [&str; 33] = [
    "account", "activate", "admin", "auth", "billing", "buy", "cart", "checkout", "confirm",
    "customer", "deals", "help", "login", "logon", "my", "order", "password", "pay", "payment",
    "portal", "refund", "secure", "security", "service", "shop", "signin", "store", "support",
    "update", "verify", "wallet", "web", "www",
];

/// The first allowed host that `host` (canonical, refused) imitates, if any.
pub fn classify(host: &str, allowed: &[HostPattern]) -> Option<Lookalike> {
    allowed.iter().find_map(|pattern| {
        let target = pattern.host();
        imitation(host, target).map(|kind| Lookalike {
            target: target.to_string(),
            kind,
        })
    })
}

/// ASCII letters that pass for one another at a glance in small type, and the letter each
/// stands for; then the digraphs `rn`, `nn`, `vv`, `lc`, `cl` read as `m`, `m`, `w`, `k`, `d`.
/// Only used to see through a lookalike, never to match an allowed host.
const AT_A_GLANCE: [(char, char); 7] = [
    ('e', 'c'),
    ('d', 'b'),
    ('q', 'g'),
    ('v', 'u'),
    ('r', 'n'),
    ('i', 'l'),
    ('9', '6'),
];

/// A label (Unicode form) as it reads at a glance (see [`AT_A_GLANCE`]).
fn at_a_glance(label: &str) -> String {
    let look: String = fold(label)
        .chars()
        .map(|c| {
            AT_A_GLANCE
                .iter()
                .find(|(from, _)| *from == c)
                .map_or(c, |(_, to)| *to)
        })
        .collect();
    read_digraphs(
        &look,
        &[
            ("rn", "m"),
            ("nn", "m"),
            ("vv", "w"),
            ("lc", "k"),
            ("cl", "d"),
        ],
    )
}

/// The skeleton of some labels read as one word: decoded, separators dropped.
fn joined_look(labels: &str) -> String {
    let plain: String = labels.split(['.', '-']).map(unicode).collect();
    skeleton(&plain)
}

/// How `host` imitates `target`, both canonical.
fn imitation(host: &str, target: &str) -> Option<Kind> {
    let (h, t) = (Parts::of(host), Parts::of(target));
    if h.registrable() == t.registrable() {
        // The store's own domain: a host it did not list, not an imitation.
        return None;
    }
    let (h_name, t_name) = (unicode(h.name), unicode(t.name));
    let (h_look, t_look) = (skeleton(&h_name), skeleton(&t_name));
    if h_look == t_look {
        return Some(if h.name == t.name {
            Kind::OtherSuffix
        } else {
            Kind::Homograph
        });
    }
    if at_a_glance(&h_name) == at_a_glance(&t_name) {
        return Some(Kind::Homograph);
    }
    // The target's whole address as one word (`paypalcom`), against the host's.
    let target_word = joined_look(target);
    let name_word = joined_look(h.name);
    if joined_look(host) == target_word || name_word == t_look || name_word == target_word {
        return Some(Kind::Separated);
    }
    let t_length = t_look.chars().count();
    let one_typo = (t_length >= MIN_TYPO_LENGTH || h.suffix == t.suffix)
        && (osa_distance(&h_look, &t_look) <= 1 || osa_distance(&h_name, &t_name) <= 1);
    let two_typos = t_length >= MIN_TWO_TYPOS_LENGTH
        && h_look.chars().next() == t_look.chars().next()
        && osa_distance(&h_look, &t_look) <= 2;
    if one_typo || two_typos {
        return Some(Kind::Typo);
    }
    let before_suffix = host.strip_suffix(h.suffix).unwrap_or(host);
    let embedded = joined_look(before_suffix)
        .as_bytes()
        .windows(target_word.len().max(1))
        .any(|window| window == target_word.as_bytes());
    if embedded {
        return Some(Kind::Embedded);
    }
    // The name as a word of its own: in a subdomain, or beside a lure in the registrable name.
    let is_name = |token: &str| skeleton(&unicode(token)) == t_look;
    let in_subdomain = h.subdomain.split(['.', '-']).any(is_name);
    let tokens: Vec<String> = h_name.split('-').map(str::to_string).collect();
    let beside_lure = tokens.iter().any(|token| is_name(token))
        && tokens.iter().any(|token| LURES.contains(&token.as_str()));
    let plain_name: String = h_name.chars().filter(|c| *c != '-').collect();
    let glued = LURES.iter().any(|lure| {
        let rest = plain_name
            .strip_prefix(lure)
            .or_else(|| plain_name.strip_suffix(lure));
        rest.is_some_and(|rest| skeleton(rest) == t_look)
    });
    (in_subdomain || beside_lure || glued).then_some(Kind::Combined)
}

/// Edits (insert, delete, substitute, swap neighbours) from `a` to `b`: the optimal string
/// alignment distance, on characters.
fn osa_distance(a: &str, b: &str) -> usize {
    let (a, b): (Vec<char>, Vec<char>) = (a.chars().collect(), b.chars().collect());
    let width = b.len() + 1;
    let mut d: Vec<usize> = (0..(a.len() + 1) * width).map(|_| 0).collect();
    for i in 0..=a.len() {
        d[i * width] = i;
    }
    for (j, cell) in d.iter_mut().enumerate().take(width) {
        *cell = j;
    }
    for i in 1..=a.len() {
        for j in 1..=b.len() {
            let cost = usize::from(a[i - 1] != b[j - 1]);
            let mut best = (d[(i - 1) * width + j] + 1)
                .min(d[i * width + j - 1] + 1)
                .min(d[(i - 1) * width + j - 1] + cost);
            if i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] {
                best = best.min(d[(i - 2) * width + j - 2] + 1);
            }
            d[i * width + j] = best;
        }
    }
    d[a.len() * width + b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn kind(host: &str, target: &str) -> Option<Kind> {
        let allowed = [HostPattern::parse(target).expect("a host")];
        classify(host, &allowed).map(|l| {
            assert_eq!(l.target, allowed[0].host());
            l.kind
        })
    }

    #[test]
    fn distances() {
        assert_eq!(osa_distance("paypal", "paypal"), 0);
        assert_eq!(osa_distance("paypal", "pyapal"), 1);
        assert_eq!(osa_distance("paypal", "paypall"), 1);
        assert_eq!(osa_distance("paypal", "paypl"), 1);
        assert_eq!(osa_distance("paypal", "paypel"), 1);
        assert_eq!(osa_distance("paypal", "pepyal"), 2);
        assert_eq!(osa_distance("", "abc"), 3);
    }

    #[test]
    fn homographs_and_idn() {
        for host in [
            "xn--pypal-4ve.com",
            "paypa1.com",
            "xn--80ak6aa92e.com",
            "xn--l-7sba6dbr.com",
            "xn--aypal-to1b.com",
        ] {
            let target = if host.starts_with("xn--80") {
                "apple.com"
            } else {
                "paypal.com"
            };
            assert_eq!(kind(host, target), Some(Kind::Homograph), "{host}");
        }
    }

    #[test]
    fn typos_need_a_long_enough_name() {
        for host in [
            "paypall.com",
            "pyapal.com",
            "paypl.com",
            "paypel.net",
            "aliexpres.com",
        ] {
            let target = if host.starts_with("ali") {
                "aliexpress.com"
            } else {
                "paypal.com"
            };
            assert_eq!(kind(host, target), Some(Kind::Typo), "{host}");
        }
        assert_eq!(kind("alliexpres.com", "aliexpress.com"), Some(Kind::Typo));
        assert_eq!(
            kind("pepyal.com", "paypal.com"),
            None,
            "two slips on a short name"
        );
        assert_eq!(
            kind("abd.com", "abc.com"),
            Some(Kind::Typo),
            "short: under the same suffix"
        );
        assert_eq!(kind("abd.net", "abc.com"), None);
    }

    #[test]
    fn the_name_elsewhere() {
        assert_eq!(kind("paypal.shop", "paypal.com"), Some(Kind::OtherSuffix));
        assert_eq!(kind("amazon.co.uk", "amazon.com"), Some(Kind::OtherSuffix));
        assert_eq!(
            kind("shop.example.com.evil.io", "shop.example.com"),
            Some(Kind::Embedded)
        );
        assert_eq!(
            kind("shop-example-com.evil.io", "shop.example.com"),
            Some(Kind::Embedded)
        );
        assert_eq!(
            kind("paypal.com-login.evil.io", "paypal.com"),
            Some(Kind::Embedded)
        );
        assert_eq!(
            kind("paypalcom.evil.io", "paypal.com"),
            Some(Kind::Embedded)
        );
        assert_eq!(
            kind("shop-example-secure-login.com", "shop.example"),
            Some(Kind::Embedded)
        );
        assert_eq!(kind("pay.pal.com", "paypal.com"), Some(Kind::Separated));
        assert_eq!(kind("pay-pal.com", "paypal.com"), Some(Kind::Separated));
        assert_eq!(
            kind("shopexample.com", "shop.example"),
            Some(Kind::Separated)
        );
        assert_eq!(
            kind("shop-example.com", "shop.example"),
            Some(Kind::Separated)
        );
    }

    #[test]
    fn the_name_with_words() {
        for host in [
            "paypal-login.com",
            "secure-paypal.net",
            "paypalsecure.com",
            "checkoutpaypal.com",
            "paypal.secure-login.io",
        ] {
            assert_eq!(kind(host, "paypal.com"), Some(Kind::Combined), "{host}");
        }
    }

    #[test]
    fn unrelated_and_own_hosts_are_not_imitations() {
        for (host, target) in [
            ("alibaba.com", "aliexpress.com"),
            ("express.com", "aliexpress.com"),
            ("evil.io", "shop.example"),
            ("m.aliexpress.com", "aliexpress.com"),
            ("olive.org", "live.com"),
            ("ebay-kleinanzeigen.de", "ebay.com"),
            ("appledaily.com", "apple.com"),
        ] {
            assert_eq!(kind(host, target), None, "{host} vs {target}");
        }
    }
}
