//! Which allowed store a refused host imitates, and how: the classification that grades clone
//! reports on the store's server and the merchant's `assess` tool. It never decides pass or fail;
//! the exact allowlist does, and the classifier never ships in the widget (docs/ARCHITECTURE.md,
//! "Page authenticity").
//!
//! Hosts are compared by registrable name (`paypal` of `www.paypal.co.uk`), as written and as
//! they look ([`skeleton`]), after decoding punycode.

use super::skeleton::{fold, idn_spoof, read_digraphs, skeleton, unicode};
use super::Reason;
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
/// combosquatting keywords and the words of a checkout. Any word counts beside a name distinctive
/// enough ([`min_brand_length`]); a lure also counts beside a short one (`ups-login`,
/// `myebay`), where any word would too often make another real site (`livescore`, `skysports`).
const LURES: [&str; 33] = [
    "account", "activate", "admin", "auth", "billing", "buy", "cart", "checkout", "confirm",
    "customer", "deals", "help", "login", "logon", "my", "order", "password", "pay", "payment",
    "portal", "refund", "secure", "security", "service", "shop", "signin", "store", "support",
    "update", "verify", "wallet", "web", "www",
];

/// How a refused host is graded: which allowed store it imitates and how, and whether a label of
/// it shows the signs of an IDN spoof.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Grade {
    /// The allowed store it imitates, and how.
    pub lookalike: Option<Lookalike>,
    /// A label mixes scripts, or is wholly in a script whose letters pass for Latin ones.
    pub idn_spoof: bool,
}

impl Grade {
    /// Grades `host` (canonical, refused) against the allowed hosts.
    pub fn of(host: &str, allowed: &[HostPattern]) -> Self {
        let host = host.strip_suffix('.').unwrap_or(host);
        Self {
            lookalike: classify(host, allowed),
            idn_spoof: host.split('.').any(|label| idn_spoof(&unicode(label))),
        }
    }

    /// The reasons the grade adds to a refusal: `lookalike`, `idn-spoof`.
    pub fn reasons(&self) -> Vec<Reason> {
        let mut reasons = Vec::new();
        if self.lookalike.is_some() {
            reasons.push(Reason::Lookalike);
        }
        if self.idn_spoof {
            reasons.push(Reason::IdnSpoof);
        }
        reasons
    }

    /// The grade in one word: the lookalike's kind, else `idn-spoof`, else `none`.
    pub fn kind(&self) -> &'static str {
        match (&self.lookalike, self.idn_spoof) {
            (Some(lookalike), _) => lookalike.kind.name(),
            (None, true) => "idn-spoof",
            (None, false) => "none",
        }
    }
}

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
    // A letter that passes for another and a slip besides (`nalaviba`, `dloonberg`): one slip
    // from how the name reads at a glance, for names long enough to be one slip from few others.
    let slip_at_a_glance = t_length >= MIN_TYPO_LENGTH
        && osa_distance(&at_a_glance(&h_name), &at_a_glance(&t_name)) <= 1;
    if one_typo || two_typos || slip_at_a_glance {
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
    // The name as a word of its own: in a subdomain; with any word in the registrable name, when
    // distinctive enough for how the word is joined; beside a lure, however short.
    let is_name = |token: &str| skeleton(&unicode(token)) == t_look;
    let in_subdomain = h.subdomain.split(['.', '-']).any(is_name);
    let brand_look = skeleton(&t_name.replace('-', ""));
    let with_any_word = with_words(&h_name, &brand_look).is_some_and(|join| {
        brand_look.chars().count() >= min_brand_length(join, h.suffix == t.suffix)
    });
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
    (in_subdomain || with_any_word || beside_lure || glued).then_some(Kind::Combined)
}

/// How a registrable name holds a store's name with a word added (combosquatting: Kintis et
/// al., "Hiding in Plain Sight", CCS 2017: `youtube-live`, `betterfacebook`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Join {
    /// The store's name as whole hyphen tokens: `aliexpress-code`, `secure-paypal-login`.
    Hyphenated,
    /// The store's name glued to a word, either side: `aliexpresstrack`, `mypaypal`.
    Glued,
}

/// The shortest store name (in characters as it looks, hyphens dropped) that counts as imitated
/// with any word added, by how the word is joined and whether the host keeps the store's suffix:
/// the more of the address a host keeps, the less distinctive the name needs to be. Each length
/// is the shortest that the real domains of bench/top-domains.txt allow:
/// - hyphenated, same suffix: 3 (`ups-tracking.com`); two letters are hardly a name;
/// - hyphenated, another suffix: 5 (`ebay-kleinanzeigen.de` does not imitate `ebay.com`);
/// - glued, same suffix: 6 (`appledaily.com` does not imitate `apple.com`);
/// - glued, another suffix: 9 (`aliexpress.com`, `vnexpress.net` and `termometropolitico.it`
///   imitate neither `express.co.uk` nor `politico.com`).
///
/// Shorter names still count beside a lure ([`LURES`]).
fn min_brand_length(join: Join, same_suffix: bool) -> usize {
    match (join, same_suffix) {
        (Join::Hyphenated, true) => 3,
        (Join::Hyphenated, false) => 5,
        (Join::Glued, true) => 6,
        (Join::Glued, false) => 9,
    }
}

/// Whether `added` (what a host's name has beside the store's) is a word: it has a letter. Digits
/// alone are a number, as real names add them (`office365`, `mobile01`); one more character is
/// a slip, for [`Kind::Typo`].
fn is_word(added: &str) -> bool {
    added.chars().any(char::is_alphabetic)
}

/// How `name` (a host's registrable name, Unicode form) is a store's name (`brand_look`: its
/// skeleton, hyphens dropped) with a word added, if it is: the store's name as whole hyphen
/// tokens, else glued to the start or the end of one token. The name is compared as it looks
/// ([`skeleton`]), the added part as written.
fn with_words(name: &str, brand_look: &str) -> Option<Join> {
    let tokens: Vec<&str> = name.split('-').filter(|t| !t.is_empty()).collect();
    let others = |skip: std::ops::RangeInclusive<usize>| -> String {
        tokens
            .iter()
            .enumerate()
            .filter(|(i, _)| !skip.contains(i))
            .map(|(_, t)| *t)
            .collect()
    };
    for first in 0..tokens.len() {
        for last in first..tokens.len() {
            let run: String = tokens[first..=last].concat();
            if skeleton(&run) == brand_look && is_word(&others(first..=last)) {
                return Some(Join::Hyphenated);
            }
        }
    }
    for (index, token) in tokens.iter().enumerate() {
        let rest = others(index..=index);
        let glued = token.char_indices().skip(1).any(|(cut, _)| {
            let (start, end) = token.split_at(cut);
            (skeleton(start) == brand_look && (is_word(end) || is_word(&rest)))
                || (skeleton(end) == brand_look && (is_word(start) || is_word(&rest)))
        });
        if glued {
            return Some(Join::Glued);
        }
    }
    None
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
mod tests;
