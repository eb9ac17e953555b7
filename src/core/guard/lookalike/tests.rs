//! The lookalike classifier's tests: each kind of imitation, and the real names it must leave alone.

use super::*;

#[test]
fn a_grade_names_the_target_and_the_kind() {
    let allowed = [
        HostPattern::parse("shop.example").expect("a host"),
        HostPattern::parse("paypal.com").expect("a host"),
    ];
    let grade = Grade::of("xn--pypal-4ve.com", &allowed);
    assert_eq!(
        grade.lookalike,
        Some(Lookalike {
            target: "paypal.com".into(),
            kind: Kind::Homograph
        })
    );
    assert_eq!(grade.reasons(), [Reason::Lookalike, Reason::IdnSpoof]);
    assert_eq!(grade.kind(), "homograph");
    let unrelated = Grade::of("evil.io", &allowed);
    assert_eq!((unrelated.reasons(), unrelated.kind()), (vec![], "none"));
    let spoof_only = Grade::of("xn--80ak6aa92e.io", &allowed);
    assert_eq!(
        (spoof_only.reasons(), spoof_only.kind()),
        (vec![Reason::IdnSpoof], "idn-spoof")
    );
}

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
fn the_name_with_any_word() {
    // Words on no list: glued or hyphenated, either side, under the store's suffix or another.
    for host in [
        "aliexpress-code.com",
        "aliexpresstrack.com",
        "aliexpress-official.store",
        "trackingaliexpress.com",
        "giftcard-aliexpress.com",
        "aliexpress-track-code.com",
        "promo-aliexpresstrack.com",
        "aliexpresstrack.store",
        "a1iexpress-code.com",
    ] {
        assert_eq!(kind(host, "aliexpress.com"), Some(Kind::Combined), "{host}");
    }
    for host in ["paypaltrack.com", "winpaypal.com", "paypal-official.xyz"] {
        assert_eq!(kind(host, "paypal.com"), Some(Kind::Combined), "{host}");
    }
    assert_eq!(
        kind("apple-track.net", "apple.com"),
        Some(Kind::Combined),
        "hyphenated, a five-letter name"
    );
    assert_eq!(
        kind("ups-tracking.com", "ups.com"),
        Some(Kind::Combined),
        "hyphenated, a short name under its own suffix"
    );
    assert_eq!(
        kind("t-online-code.de", "t-online.de"),
        Some(Kind::Combined),
        "a hyphenated name, whole"
    );
    // Short names need more of the address, or a lure.
    assert_eq!(kind("ups-tracking.net", "ups.com"), None);
    assert_eq!(kind("upstracking.com", "ups.com"), None);
    assert_eq!(kind("upslogin.com", "ups.com"), Some(Kind::Combined));
    assert_eq!(kind("ups-login.net", "ups.com"), Some(Kind::Combined));
    assert_eq!(kind("appletrack.com", "apple.com"), None);
    // Glued under another suffix, only a long name.
    assert_eq!(kind("paypaltrack.xyz", "paypal.com"), None);
    assert_eq!(kind("paypalsecure.xyz", "paypal.com"), Some(Kind::Combined));
}

#[test]
fn how_a_name_holds_another() {
    assert_eq!(
        with_words("pay-pal-login", "paypal"),
        Some(Join::Hyphenated)
    );
    assert_eq!(with_words("login-paypal", "paypal"), Some(Join::Hyphenated));
    assert_eq!(with_words("paypallogin", "paypal"), Some(Join::Glued));
    assert_eq!(with_words("x-mypaypal", "paypal"), Some(Join::Glued));
    assert_eq!(with_words("paypal", "paypal"), None, "the name alone");
    assert_eq!(with_words("pay-pal", "paypal"), None, "the name alone, cut");
    assert_eq!(
        with_words("paypal2024", "paypal"),
        None,
        "a number, not a word"
    );
    assert_eq!(
        with_words("paypal-24", "paypal"),
        None,
        "a number, not a word"
    );
    assert_eq!(
        with_words("mypaypalshop", "paypal"),
        None,
        "words on both sides"
    );
    assert_eq!(with_words("paypalshop", "ebay"), None);
}

#[test]
fn real_sites_with_a_name_in_theirs_stay_out() {
    for (host, target) in [
        ("appledaily.com", "apple.com"),
        ("ebay-kleinanzeigen.de", "ebay.com"),
        ("thepiratebay.org", "ebay.com"),
        ("aliexpress.com", "express.co.uk"),
        ("americanexpress.com", "express.co.uk"),
        ("vnexpress.net", "express.co.uk"),
        ("termometropolitico.it", "politico.com"),
        ("office365.com", "office.com"),
        ("mobile01.com", "mobile.de"),
        ("livescore.com", "live.com"),
        ("healthline.com", "line.me"),
        ("skysports.com", "sky.com"),
        ("google.com", "goo.ne.jp"),
        ("dailymail.co.uk", "mail.ru"),
        ("filmweb.pl", "web.de"),
        ("gofundme.com", "go.com"),
        ("walmart.com", "rt.com"),
    ] {
        assert_eq!(kind(host, target), None, "{host} vs {target}");
    }
}

#[test]
fn a_slip_from_how_the_name_reads() {
    assert_eq!(kind("nalaviba.com", "malavida.com"), Some(Kind::Typo));
    assert_eq!(kind("dloonberg.com", "bloomberg.com"), Some(Kind::Typo));
    assert_eq!(kind("kolhis.com", "kohls.com"), Some(Kind::Typo));
    assert_eq!(
        kind("udn.com", "uber.com"),
        None,
        "short names: one slip apart at a glance are too many"
    );
    assert_eq!(kind("qq.com", "go.com"), None);
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
