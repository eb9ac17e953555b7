//! Two server processes sharing one Redis: the limits and the single use of codes and proofs
//! hold across instances, as they do within one, on a single Redis, on a three-master Redis
//! Cluster and over TLS.

#[path = "support/redis_deployment.rs"]
mod redis_deployment;
#[path = "support/redis_server.rs"]
mod redis_server;

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};

use serde_json::{json, Value};

const REDEEM_KEY: &str = "redeem-key-shared-by-both-instances-0123";

/// A server process on the shared Redis, killed on drop.
struct Instance {
    child: Child,
    url: String,
}

impl Drop for Instance {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Key files both instances read: the same secret and redeem key, as a deployment gives them.
fn key_files() -> (PathBuf, PathBuf) {
    let dir = std::env::temp_dir().join(format!("cv-instances-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    let secret = dir.join("secret");
    let redeem = dir.join("redeem-key");
    std::fs::write(&secret, "shared-secret-of-both-instances-0123456789\n").expect("secret");
    std::fs::write(&redeem, format!("{REDEEM_KEY}\n")).expect("redeem key");
    // Readable by their owner only: the server refuses a key file others may read.
    for file in [&secret, &redeem] {
        std::fs::set_permissions(file, std::os::unix::fs::PermissionsExt::from_mode(0o600))
            .expect("chmod 600");
    }
    (secret, redeem)
}

/// The server on `store`, with `env` added to its environment.
fn command(store: &str, env: &[(&str, &str)]) -> Command {
    let (secret, redeem) = key_files();
    let mut command = Command::new(env!("CARGO_BIN_EXE_checkout-verify-server"));
    command
        .args(["--dev", "--port", "0", "--store", store])
        .args([
            "--client-sends-per-hour",
            "100000",
            "--sends-per-hour",
            "100000",
        ])
        .arg("--secret-file")
        .arg(secret)
        .arg("--redeem-key-file")
        .arg(redeem)
        .envs(env.iter().copied());
    command
}

fn start(store: &str, env: &[(&str, &str)]) -> Instance {
    let mut child = command(store, env)
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("the server starts");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let url = loop {
        let line = lines.next().expect("a line before exit").expect("readable");
        if let Some(url) = line.strip_prefix("listening on ") {
            break url.trim_end_matches('/').to_string();
        }
    };
    // Keep reading so the server never blocks on a full pipe.
    std::thread::spawn(move || lines.for_each(drop));
    Instance { child, url }
}

fn agent() -> ureq::Agent {
    ureq::Agent::config_builder()
        .http_status_as_error(false)
        .build()
        .into()
}

/// POSTs `body` to `path` of `instance`; the status and the JSON answer.
fn post(instance: &Instance, path: &str, body: Value, bearer: Option<&str>) -> (u16, Value) {
    let mut request = agent().post(format!("{}{path}", instance.url));
    if let Some(key) = bearer {
        request = request.header("authorization", format!("Bearer {key}"));
    }
    let mut response = request
        .header("content-type", "application/json")
        .send(body.to_string())
        .expect("an answer");
    let status = response.status().as_u16();
    let text = response.body_mut().read_to_string().unwrap_or_default();
    let json = serde_json::from_str(&text).unwrap_or(Value::Null);
    (status, json)
}

/// The code of the newest message `instance` sent.
fn last_code(instance: &Instance) -> String {
    let mut response = agent()
        .get(format!("{}/dev/outbox", instance.url))
        .call()
        .expect("the outbox");
    let text = response.body_mut().read_to_string().expect("a body");
    let outbox: Value = serde_json::from_str(&text).expect("JSON");
    let text = outbox.as_array().and_then(|m| m.last()).expect("a message")["text"]
        .as_str()
        .expect("text")
        .to_string();
    text.rsplit_once('#').expect("#code").1.to_string()
}

fn send(instance: &Instance, destination: &str) -> (u16, Value) {
    post(
        instance,
        "/api/verification",
        json!({"destination": destination, "channel": "sms"}),
        None,
    )
}

#[test]
fn limits_codes_and_proofs_hold_across_two_instances() {
    let redis = redis_server::RedisServer::start();
    two_instances_hold_every_limit(&redis.url(), &[]);
}

#[test]
fn on_a_redis_cluster_too() {
    let cluster = redis_deployment::RedisCluster::start();
    two_instances_hold_every_limit(&cluster.url(), &[]);
    let spread = cluster.keys_per_node();
    assert!(
        spread.iter().filter(|&&keys| keys > 0).count() >= 2,
        "records live on more than one master: {spread:?}"
    );
}

#[test]
fn over_tls_too() {
    let redis = redis_deployment::TlsRedis::start();
    let ca = redis.ca.to_string_lossy().into_owned();
    two_instances_hold_every_limit(&redis.url(), &[("SSL_CERT_FILE", &ca)]);
}

#[test]
fn a_tls_store_must_prove_itself_and_its_password_is_never_printed() {
    let redis = redis_deployment::TlsRedis::start();
    // Without the private CA, the certificate proves nothing: the server refuses to start.
    let empty = std::env::temp_dir().join(format!("cv-no-ca-{}.pem", std::process::id()));
    std::fs::write(&empty, "").expect("an empty CA file");
    let output = command(&redis.url(), &[("SSL_CERT_FILE", &empty.to_string_lossy())])
        .output()
        .expect("the server runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(!output.status.success(), "{said}");
    let redacted = format!(
        "cannot use the store at rediss://:***@127.0.0.1:{}",
        redis.tls_port
    );
    assert!(said.contains(&redacted), "{said}");
    assert!(said.contains("UnknownIssuer"), "{said}");
    assert!(!said.contains(&redis.password), "{said}");
    // The password from the environment, the URL without it: the same refusal, the same silence.
    let bare = format!("rediss://127.0.0.1:{}", redis.tls_port);
    let output = command(
        &bare,
        &[
            ("SSL_CERT_FILE", &empty.to_string_lossy()),
            ("CHECKOUT_VERIFY_REDIS_PASSWORD", &redis.password),
        ],
    )
    .output()
    .expect("the server runs");
    let said = String::from_utf8_lossy(&output.stderr);
    assert!(
        !output.status.success() && !said.contains(&redis.password),
        "{said}"
    );
    // With the CA and the password only in the environment, it connects.
    let ca = redis.ca.to_string_lossy().into_owned();
    let instance = start(
        &bare,
        &[
            ("SSL_CERT_FILE", &ca),
            ("CHECKOUT_VERIFY_REDIS_PASSWORD", &redis.password),
        ],
    );
    assert_eq!(send(&instance, "+1 415 555 0300").0, 202);
}

/// Two instances on `store` share every limit, and a code or a proof is used once.
fn two_instances_hold_every_limit(store: &str, env: &[(&str, &str)]) {
    let a = start(store, env);
    let b = start(store, env);

    // A code sent by one instance is checked by either; 200 concurrent checks, one approval.
    let (status, sent) = send(&a, "+1 415 555 0300");
    assert_eq!(status, 202, "{sent}");
    let id = sent["verification_id"].as_str().expect("id").to_string();
    let code = last_code(&a);
    let approvals: Vec<(u16, Value)> = std::thread::scope(|scope| {
        let checks: Vec<_> = (0..200)
            .map(|n| {
                let (instance, id, code) = (if n % 2 == 0 { &a } else { &b }, &id, &code);
                scope.spawn(move || {
                    post(
                        instance,
                        "/api/verification/check",
                        json!({"verification_id": id, "code": code}),
                        None,
                    )
                })
            })
            .collect();
        checks
            .into_iter()
            .map(|c| c.join().expect("joined"))
            .filter(|(status, _)| *status == 200)
            .collect()
    });
    assert_eq!(approvals.len(), 1, "exactly one approval of 200 checks");

    // The proof signed by one instance is redeemed by the other, once.
    let token = approvals[0].1["token"].as_str().expect("token");
    let (status, redeemed) = post(
        &b,
        "/api/verification/redeem",
        json!({ "token": token }),
        Some(REDEEM_KEY),
    );
    assert_eq!(status, 200, "{redeemed}");
    assert_eq!(redeemed["destination"], "+14155550300");
    let (status, _) = post(
        &a,
        "/api/verification/redeem",
        json!({ "token": token }),
        Some(REDEEM_KEY),
    );
    assert_eq!(status, 410);

    // The resend wait set by one instance holds on the other.
    let (status, sent) = send(&b, "+44 20 7946 0958");
    assert_eq!(status, 202);
    let id = sent["verification_id"].as_str().expect("id");
    let (status, refused) = post(
        &a,
        "/api/verification",
        json!({"channel": "sms", "verification_id": id}),
        None,
    );
    assert_eq!(status, 429, "{refused}");
    assert!(
        refused["retry_after"]
            .as_u64()
            .is_some_and(|s| (29..=30).contains(&s)),
        "{refused}"
    );

    // Ten starts for one number, split over both instances, use up its hour.
    for n in 0..10 {
        let (status, body) = send(if n % 2 == 0 { &a } else { &b }, "+1 212 555 0100");
        assert_eq!(status, 202, "start {n}: {body}");
    }
    for instance in [&a, &b] {
        let (status, refused) = send(instance, "12125550100");
        assert_eq!(status, 429);
        assert_eq!(refused["type"], "urn:checkout-verify:send-limit");
    }
}
