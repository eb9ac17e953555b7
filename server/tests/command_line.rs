//! The built program's command line: `--help` lists every flag of DESIGN's surface 8 with its
//! default and environment, and `$PORT` is read when `--port` is not given.

use std::io::{BufRead, BufReader};
use std::net::{Ipv4Addr, TcpListener};
use std::process::{Command, Stdio};

const PROGRAM: &str = env!("CARGO_BIN_EXE_checkout-verify-server");

#[test]
fn help_lists_every_flag_with_its_default_and_environment() {
    let output = Command::new(PROGRAM)
        .arg("--help")
        .output()
        .expect("the server runs");
    assert!(output.status.success(), "{output:?}");
    let help = String::from_utf8_lossy(&output.stdout);
    for flag in [
        "--dev",
        "--bind",
        "--port",
        "--trusted-proxy",
        "--site",
        "--public-host",
        "--store-name",
        "--allow-origin",
        "--deliver",
        "--webhook-key-file",
        "--secret-file",
        "--redeem-key-file",
        "--store",
        "--max-records",
        "--code-lifetime",
        "--max-attempts",
        "--resend-waits",
        "--max-sends",
        "--starts-per-destination-hour",
        "--max-failures",
        "--client-sends-per-hour",
        "--sends-per-hour",
        "--proof-lifetime",
    ] {
        assert!(
            help.contains(&format!("{flag} ")) || help.contains(&format!("{flag}\n")),
            "{flag} missing:\n{help}"
        );
    }
    for said in [
        "[default: 127.0.0.1]",
        "[env: PORT=",
        "[default: 8080]",
        "[default: memory]",
        "[default: 600]",
        "[default: 30,60,120]",
        "CHECKOUT_VERIFY_SECRET",
        "CHECKOUT_VERIFY_REDEEM_KEY",
        "CHECKOUT_VERIFY_REDIS_PASSWORD",
        "SSL_CERT_FILE",
        "umask 077",
    ] {
        assert!(help.contains(said), "{said} missing:\n{help}");
    }
}

#[test]
fn the_port_comes_from_the_environment_unless_given() {
    let free = TcpListener::bind((Ipv4Addr::LOCALHOST, 0))
        .and_then(|listener| listener.local_addr())
        .expect("a free port")
        .port();
    let mut server = Command::new(PROGRAM)
        .arg("--dev")
        .env("PORT", free.to_string())
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("the server runs");
    let stdout = server.stdout.take().expect("piped");
    let listening = BufReader::new(stdout)
        .lines()
        .map_while(Result::ok)
        .find(|line| line.starts_with("listening on "));
    let _ = server.kill();
    let _ = server.wait();
    assert_eq!(
        listening.as_deref(),
        Some(format!("listening on http://127.0.0.1:{free}/").as_str())
    );
    let refused = Command::new(PROGRAM)
        .args(["--dev", "--port", "nine"])
        .env("PORT", free.to_string())
        .output()
        .expect("the server runs");
    assert_eq!(refused.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&refused.stderr).contains("got \"nine\""));
}
