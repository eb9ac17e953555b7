//! The gate's tests: the verdict from every kind of page (scheme, secure context, host forms,
//! framing, endpoints) and the compiled list bounding the config.

use super::*;

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
    for host in [
        "shop.example.evil.io",
        "shop.examp1e",
        "evilshop.example",
        "a.b.shop.example",
        "xn--shp-ted.example",
    ] {
        assert_eq!(
            reasons(&g.assess(&page("https", host))),
            ["host-not-allowed"],
            "{host}"
        );
    }
    assert!(
        !guard(&[]).assess(&page("https", "shop.example")).trusted,
        "fails closed"
    );
}

#[test]
fn plain_http_only_on_loopback_in_development() {
    let g = guard(&["localhost", "shop.example", "127.0.0.1", "[::1]"]);
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
    for host in ["localhost", "127.0.0.1", "[::1]"] {
        assert!(dev.assess(&page("http", host)).trusted, "{host}");
    }
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
fn the_verdict_names_the_genuine_store() {
    let g = guard(&["shop.example", "*.shop.example"]);
    let copy = g.assess(&page("https", "shop.examp1e"));
    assert_eq!(copy.genuine.as_deref(), Some("shop.example"));
    assert_eq!(copy.genuine_url.as_deref(), Some("https://shop.example/"));
    assert_eq!(
        copy.to_json().to_string(),
        r#"{"trusted":false,"reasons":["host-not-allowed"],"genuine":"shop.example"}"#
    );
    let insecure = g.assess(&page("http", "eu.shop.example"));
    assert_eq!(insecure.genuine.as_deref(), Some("eu.shop.example"));
    assert_eq!(
        insecure.genuine_url.as_deref(),
        Some("https://eu.shop.example/")
    );
    let dev = Guard {
        development: true,
        ..guard(&["localhost", "127.0.0.1"])
    };
    let lookalike = Page {
        port: Some(8080),
        ..page("http", "l0calhost")
    };
    assert_eq!(
        dev.assess(&lookalike).genuine_url.as_deref(),
        Some("http://localhost:8080/")
    );
    assert_eq!(guard(&[]).assess(&page("https", "x.example")).genuine, None);
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
        ..g.clone()
    };
    assert!(lenient.assess(&framed(None)).trusted);
    assert!(
        !lenient
            .assess(&framed(Some(vec!["https://evil.io"])))
            .trusted,
        "a listed foreign ancestor fails even where unlisted framing is allowed"
    );
}

#[test]
fn endpoints_are_same_origin_or_allowed_https() {
    let g = guard(&["shop.example", "api.shop.example", "localhost"]);
    assert!(g.allows_endpoint("/api/verification", "shop.example"));
    assert!(g.allows_endpoint("https://api.shop.example/otp", "shop.example"));
    for endpoint in [
        "http://api.shop.example/otp",
        "http://localhost:9099/otp",
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
    let dev = Guard {
        development: true,
        ..g.clone()
    };
    assert!(dev.allows_endpoint("http://localhost:9099/otp", "localhost"));
    assert!(
        dev.allows_endpoint("http://127.0.0.1:9099/otp", "localhost"),
        "an emulator on loopback, whatever its name"
    );
    assert!(!dev.allows_endpoint("http://api.shop.example/otp", "localhost"));
    assert!(!dev.allows_endpoint("https://evil.io/otp", "localhost"));
}

#[test]
fn every_endpoint_the_widget_will_call_is_checked() {
    let g = Guard {
        endpoints: vec![
            "/api/verification".into(),
            "https://api.shop.example/check".into(),
            "https://shop.example/api/clone-report".into(),
        ],
        ..guard(&["shop.example", "api.shop.example"])
    };
    assert!(g.assess(&page("https", "shop.example")).trusted);
    let foreign = Guard {
        endpoints: vec!["/api/verification".into(), "https://evil.io/check".into()],
        ..g.clone()
    };
    assert_eq!(
        reasons(&foreign.assess(&page("https", "shop.example"))),
        ["endpoint-not-allowed"]
    );
    assert_eq!(
        reasons(&g.assess(&page("https", "evil.io"))),
        ["host-not-allowed", "endpoint-not-allowed"],
        "a same-origin endpoint on a refused page would reach the copy"
    );
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
        r#"{"trusted":false,"reasons":["invalid-url"],"genuine":null}"#
    );
}

#[test]
fn reasons_read_back_by_name() {
    for reason in Reason::ALL {
        assert_eq!(Reason::from_name(reason.name()), Some(reason));
    }
    assert_eq!(Reason::from_name("pwned"), None);
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

#[test]
fn the_page_reads_from_what_the_shell_reports() {
    let json = Json::parse(
        r#"{"scheme":"https","host":"shop.example","port":"8443","secure":true,"framed":true,
            "ancestors":["https://pay.example",7]}"#,
    )
    .expect("JSON");
    assert_eq!(
        Page::from_json(&json),
        Page {
            scheme: "https".into(),
            host: "shop.example".into(),
            port: Some(8443),
            secure_context: true,
            framed: true,
            ancestors: Some(vec!["https://pay.example".into(), "null".into()]),
        }
    );
    let unreadable = Page::from_json(&Json::Null);
    assert!(!unreadable.secure_context && unreadable.framed && unreadable.ancestors.is_none());
    assert!(!guard(&["shop.example"]).assess(&unreadable).trusted);
}
