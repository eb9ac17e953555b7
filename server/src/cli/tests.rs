//! The command line's tests: every flag read, every mistake named.

use super::*;

fn args(line: &str) -> Vec<String> {
    line.split_whitespace().map(str::to_string).collect()
}

/// What the command line says about `args`' mistake, as printed.
fn mistake(args: Vec<String>) -> String {
    parse(args).expect_err("refused").to_string()
}

fn no_env(_: &str) -> Option<String> {
    None
}

#[test]
fn dev_mode_needs_nothing_else() {
    let options = parse(args("--dev --port 0")).expect("valid");
    assert_eq!(options.port, 0);
    let setup = options
        .settings(no_env, |_| unreachable!())
        .expect("settings");
    assert_eq!(setup.settings.public_host, "127.0.0.1");
    assert_eq!(
        setup.settings.store_name, "Demo Store",
        "not a number a call would read"
    );
    assert!(setup.settings.dev);
    let key = setup.made_up_redeem_key.expect("a made-up key to print");
    assert!(setup.settings.keys.is_redeem_key(&key));
}

#[test]
fn dev_mode_takes_one_key_file_without_the_other() {
    let pinned = "redeem-key-of-a-developer-0123456789".to_string();
    let options = parse(args("--dev --redeem-key-file /k")).expect("valid");
    let setup = options
        .settings(no_env, |_| Ok(pinned.clone().into_bytes()))
        .expect("settings");
    assert!(setup.settings.keys.is_redeem_key(&pinned));
    assert_eq!(setup.made_up_redeem_key, None);
    let options = parse(args("--dev --secret-file /s")).expect("valid");
    let setup = options
        .settings(no_env, |_| Ok(b"secret-of-a-developer-0123456789".to_vec()))
        .expect("settings");
    assert!(setup.made_up_redeem_key.is_some());
}

#[test]
fn it_listens_on_loopback_unless_bound_elsewhere() {
    let options = parse(args("--dev")).expect("valid");
    assert_eq!(options.bind, std::net::IpAddr::from([127, 0, 0, 1]));
    let options = parse(args("--public-host shop.example --bind ::")).expect("valid");
    assert_eq!(options.bind, "::".parse::<std::net::IpAddr>().expect("ip"));
    let options = parse(args("--dev --bind ::1")).expect("loopback is fine");
    assert!(options.bind.is_loopback());
}

#[test]
fn every_policy_number_is_a_flag() {
    let line = "--dev --code-lifetime 300 --max-attempts 3 --max-sends 4 --starts-per-destination-hour 600 --proof-lifetime 120 --max-failures 40 --max-destination-failures 90 --throttle-waits 10,20 --network-sends-per-hour 1200 --quiet-reserve-percent 10";
    let setup = parse(args(line))
        .expect("valid")
        .settings(no_env, |_| unreachable!())
        .expect("settings");
    let policy = setup.settings.policy;
    assert_eq!(
        (policy.ttl_s, policy.max_attempts, policy.resend.max_sends),
        (300, 3, 4)
    );
    assert_eq!((policy.max_starts, policy.starts_window_s), (600, 3600));
    assert_eq!((policy.proof_ttl_s, policy.max_failures), (120, 40));
    assert_eq!(
        (
            policy.destination_max_failures,
            policy.throttle_waits_s.as_slice()
        ),
        (90, [10, 20].as_slice())
    );
    assert_eq!(
        (policy.network_sends, policy.quiet_reserve_percent),
        (
            Rate {
                per_hour: 1200,
                burst: 100
            },
            10
        )
    );
    let error = mistake(args("--dev --code-lifetime 0"));
    assert!(
        error.contains("'--code-lifetime <S>': must be seconds from 1 to 86400, got \"0\""),
        "{error}"
    );
}

#[test]
fn the_resend_waits_are_a_flag() {
    let options = parse(args("--dev --resend-waits 1,5")).expect("valid");
    let setup = options
        .settings(no_env, |_| unreachable!())
        .expect("settings");
    assert_eq!(setup.settings.policy.resend.cooldowns_s, [1, 5]);
}

#[test]
fn outside_dev_mode_the_public_host_and_the_keys_are_required() {
    let missing = mistake(args("--port 0"));
    assert!(missing.contains("--public-host is required"), "{missing}");
    let options = parse(args("--public-host shop.example")).expect("valid");
    let no_secret = options
        .settings(no_env, |_| unreachable!())
        .expect_err("refused");
    assert!(no_secret.contains("CHECKOUT_VERIFY_SECRET"), "{no_secret}");
    let env = |name: &str| match name {
        "CHECKOUT_VERIFY_SECRET" => Some("secret-of-the-store-0123456789abcdef".into()),
        "CHECKOUT_VERIFY_REDEEM_KEY" => Some("redeem-key-of-the-store-0123456789".into()),
        _ => None,
    };
    let nowhere = options
        .settings(env, |_| unreachable!())
        .expect_err("refused");
    assert!(
        nowhere.contains("codes must reach shoppers: add --deliver CHANNEL=URI"),
        "{nowhere}"
    );
    let options = parse(args(
        "--public-host shop.example --deliver email=smtp://127.0.0.1:2525?from=codes@shop.example",
    ))
    .expect("valid");
    let setup = options.settings(env, |_| unreachable!()).expect("settings");
    assert_eq!(setup.settings.public_host, "shop.example");
    assert_eq!(
        setup.settings.store_name, "shop.example",
        "named by its host"
    );
    assert_eq!(setup.made_up_redeem_key, None);
}

#[test]
fn a_webhook_is_signed_with_a_key_of_32_bytes_or_more() {
    let line = "--dev --deliver sms=webhook+http://127.0.0.1:9/hook --webhook-key-file /w";
    let options = parse(args(line)).expect("valid");
    let short = options
        .settings(no_env, |_| Ok(b"short\n".to_vec()))
        .expect_err("refused");
    assert!(
        short.starts_with("--webhook-key-file /w: the key must be at least 32 bytes"),
        "{short}"
    );
    let setup = options
        .settings(no_env, |_| {
            Ok([b'w'; 32].iter().chain(b"\n").copied().collect())
        })
        .expect("settings");
    assert_eq!(
        setup.settings.gateways.describe(),
        ["sms → webhook http://127.0.0.1:9/hook"]
    );
    let unsigned = parse(args("--dev --deliver sms=webhook+http://127.0.0.1:9/hook"))
        .expect("valid")
        .settings(no_env, |_| unreachable!())
        .expect_err("refused");
    assert!(unsigned.contains("needs --webhook-key-file"), "{unsigned}");
}

#[test]
fn the_store_name_is_printable_and_short() {
    let options = parse(vec![
        "--dev".to_string(),
        "--store-name".into(),
        " Demo Store ".into(),
    ])
    .expect("valid");
    assert_eq!(options.store_name.as_deref(), Some("Demo Store"));
    for bad in ["", "   ", "a\nb", &"x".repeat(61)] {
        let error = mistake(vec!["--store-name".to_string(), bad.to_string()]);
        assert!(error.contains(": --store-name must be"), "{error}");
    }
}

#[test]
fn key_files_are_read_and_checked() {
    let options = parse(args(
        "--public-host shop.example --secret-file /s --redeem-key-file /k",
    ))
    .expect("valid");
    let short = options
        .settings(no_env, |path| {
            Ok(if path.ends_with("s") {
                b"short\n".to_vec()
            } else {
                b"redeem-key-of-the-store-0123456789".to_vec()
            })
        })
        .expect_err("refused");
    assert!(short.contains("the secret has 5 bytes"), "{short}");
    let absent = options
        .settings(no_env, |_| {
            Err(std::io::Error::from(std::io::ErrorKind::NotFound))
        })
        .expect_err("refused");
    assert!(absent.starts_with("--secret-file /s:"), "{absent}");
}

#[test]
fn a_key_file_others_may_read_is_refused() {
    use std::os::unix::fs::PermissionsExt;
    let path = std::env::temp_dir().join(format!("cv-key-{}", std::process::id()));
    std::fs::write(&path, "secret-of-the-store-0123456789abcdef\n").expect("written");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o644)).expect("chmod");
    let error = read_key_file(&path).expect_err("refused");
    assert!(
        error
            .to_string()
            .starts_with("group or others may read it (mode 644); chmod 600 "),
        "{error}"
    );
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o600)).expect("chmod");
    assert_eq!(
        read_key_file(&path).expect("read"),
        b"secret-of-the-store-0123456789abcdef\n"
    );
    std::fs::remove_file(&path).expect("removed");
}

#[test]
fn mistakes_name_the_flag_and_the_value() {
    for (line, says) in [
        ("--dev --public-host https://shop.example", "--public-host must be a host name such as shop.example, got \"https://shop.example\""),
        ("--dev --public-host shop.example:443", "got \"shop.example:443\""),
        ("--dev --allow-origin shop.example", "--allow-origin must be an origin such as https://shop.example, got \"shop.example\""),
        ("--dev --store postgres://x", "--store must be memory, redis://HOST:PORT, rediss://HOST:PORT, redis-cluster://HOST:PORT,HOST:PORT,… or rediss-cluster://…, got \"postgres://x\""),
        ("--dev --store redis-cluster://:pw@a:1,,b:2", "got \"redis-cluster://:***@a:1,,b:2\""),
        ("--dev --sends-per-hour 0", "'--sends-per-hour <N>': must be a whole number from 1, got \"0\""),
        ("--dev --port 99999", "port must be a number from 0 to 65535, got \"99999\""),
        ("--dev --quiet-reserve-percent 101", "must be a percentage from 0 to 100, got \"101\""),
        ("--dev --bogus", "unexpected argument '--bogus'"),
        ("--dev --resend-waits 30,soon", "'--resend-waits <S,S,…>': must be up to 10 waits in seconds like 30,60,120, got \"30,soon\""),
        ("--dev --port", "a value is required for '--port <N>'"),
        ("--dev --trusted-proxy 10.0.0.0/33", "--trusted-proxy must be an address or a range such as 10.0.0.0/8 or 2001:db8::/32, got \"10.0.0.0/33\""),
        ("--dev --bind 0.0.0.0", "--dev keeps every message and serves /dev/*: it listens on loopback only, not 0.0.0.0"),
        ("--dev --bind localhost", "--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got \"localhost\""),
    ] {
        let problem = mistake(args(line));
        assert!(problem.contains(says), "{line}: {problem}");
    }
}

#[test]
fn origins_and_stores_and_budgets() {
    let options = parse(args("--dev --allow-origin https://Shop.Example/ --allow-origin http://127.0.0.1:8080 --store redis://127.0.0.1:6390 --client-sends-per-hour 1200 --sends-per-hour 100000 --max-failures 50"))
    .expect("valid");
    assert_eq!(
        options.allow_origins,
        ["https://shop.example", "http://127.0.0.1:8080"]
    );
    assert_eq!(
        options.store,
        StoreChoice::Redis(RedisAddress::parse("redis://127.0.0.1:6390").expect("valid"))
    );
    let settings = options
        .settings(no_env, |_| unreachable!())
        .expect("settings")
        .settings;
    assert_eq!(
        settings.policy.client_sends,
        Rate {
            per_hour: 1200,
            burst: 100
        }
    );
    assert_eq!(settings.policy.overall_sends.per_hour, 100_000);
    assert_eq!(settings.policy.max_failures, 50);
}

#[test]
fn a_flag_given_twice_takes_its_last_value() {
    let options = parse(args("--dev --max-failures 60 --max-failures 7 --trusted-proxy 10.0.0.1 --trusted-proxy 10.0.0.2")).expect("valid");
    assert_eq!(options.max_failures, 7);
    assert_eq!(options.trusted_proxies.len(), 2, "repeatable flags add up");
}

#[test]
fn every_number_defaults_to_the_policy() {
    let options = parse(args("--dev")).expect("valid");
    let policy = options
        .settings(no_env, |_| unreachable!())
        .expect("settings")
        .settings
        .policy;
    assert_eq!(policy, Policy::default());
    assert_eq!(options.store, StoreChoice::Memory);
    assert_eq!(options.max_records, DEFAULT_CAPACITY);
}

#[test]
fn stores_single_clustered_and_over_tls() {
    let store = |line: &str| match parse(args(line)).expect(line).store {
        StoreChoice::Redis(address) => address.to_string(),
        StoreChoice::Memory => "memory".into(),
    };
    assert_eq!(
        store("--dev --store rediss://:s3cret@redis.internal:6380"),
        "rediss://:***@redis.internal:6380"
    );
    assert_eq!(
        store("--dev --store redis-cluster://:s3cret@10.0.0.1:7000,10.0.0.2:7000"),
        "redis-cluster://:***@10.0.0.1:7000,10.0.0.2:7000"
    );
    assert_eq!(
        store("--dev --store rediss-cluster://a:7000,b:7000"),
        "rediss-cluster://a:7000,b:7000"
    );
    let from_env = RedisAddress::parse("redis://a:6379")
        .expect("valid")
        .with_password(Some("from-env".into()));
    assert_eq!(
        from_env.to_string(),
        "redis://a:6379",
        "the password is kept apart, unprinted"
    );
    assert!(!format!("{from_env:?}").contains("from-env"));
}
