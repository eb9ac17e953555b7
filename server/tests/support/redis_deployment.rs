//! Redis as deployments run it, for tests: over TLS with a private CA, and as a three-master
//! cluster, each on loopback and gone when the test is. Built on [`crate::redis_server`], which
//! the including file must also declare.

#![allow(dead_code)] // Each test file uses the part it needs.

use std::path::PathBuf;
use std::process::Command;
use std::time::{Duration, Instant};

use crate::redis_server::{free_port, RedisServer};

/// How long a new cluster may take to agree on its slots (it takes about a second).
const CLUSTER_TIMEOUT: Duration = Duration::from_secs(30);

/// A directory of this test process, removed by nobody: it lives in the system's temporary
/// directory and holds only test certificates and cluster state.
fn scratch(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("cv-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a temporary directory");
    dir
}

fn run(program: &str, args: &[&str]) -> String {
    let output = Command::new(program)
        .args(args)
        .output()
        .unwrap_or_else(|e| panic!("cannot run {program}: {e}"));
    assert!(
        output.status.success(),
        "{program} {args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8_lossy(&output.stdout).into_owned()
}

/// A redis-server taking TLS on its own port, with a certificate for 127.0.0.1 issued by a CA
/// made for the test (the way a private deployment's CA works), and a password.
pub struct TlsRedis {
    /// The server (its plain port is for readiness only).
    pub server: RedisServer,
    /// The port taking TLS.
    pub tls_port: u16,
    /// The CA's certificate (PEM), what `SSL_CERT_FILE` names to trust it.
    pub ca: PathBuf,
    /// The password `AUTH` needs.
    pub password: String,
}

impl TlsRedis {
    /// Makes the CA and the certificate with openssl, then starts the server.
    pub fn start() -> Self {
        let dir = scratch("redis-tls");
        let file = |name: &str| dir.join(name).to_string_lossy().into_owned();
        let (ca_key, ca, key, request, cert, extensions) = (
            file("ca.key"),
            file("ca.pem"),
            file("server.key"),
            file("server.csr"),
            file("server.pem"),
            file("server.ext"),
        );
        run(
            "openssl",
            &[
                "req",
                "-x509",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-days",
                "1",
                "-keyout",
                &ca_key,
                "-out",
                &ca,
                "-subj",
                "/CN=checkout-verify test CA",
            ],
        );
        run(
            "openssl",
            &[
                "req",
                "-newkey",
                "rsa:2048",
                "-nodes",
                "-keyout",
                &key,
                "-out",
                &request,
                "-subj",
                "/CN=127.0.0.1",
            ],
        );
        std::fs::write(
            &extensions,
            "subjectAltName=IP:127.0.0.1\nbasicConstraints=CA:FALSE\n",
        )
        .expect("extensions");
        run(
            "openssl",
            &[
                "x509",
                "-req",
                "-in",
                &request,
                "-CA",
                &ca,
                "-CAkey",
                &ca_key,
                "-CAcreateserial",
                "-days",
                "1",
                "-out",
                &cert,
                "-extfile",
                &extensions,
            ],
        );
        let tls_port = free_port();
        let password = "tls-redis-password-0123".to_string();
        let args: Vec<String> = [
            "--tls-port",
            &tls_port.to_string(),
            "--tls-cert-file",
            &cert,
            "--tls-key-file",
            &key,
            "--tls-ca-cert-file",
            &ca,
            "--tls-auth-clients",
            "no",
        ]
        .map(str::to_string)
        .to_vec();
        let server = RedisServer::start_with(&args);
        // Set once it answers: readiness is checked with a plain PING.
        let port = server.port().to_string();
        run(
            "redis-cli",
            &["-p", &port, "config", "set", "requirepass", &password],
        );
        Self {
            server,
            tls_port,
            ca: PathBuf::from(ca),
            password,
        }
    }

    /// `rediss://:PASSWORD@127.0.0.1:PORT`.
    pub fn url(&self) -> String {
        format!("rediss://:{}@127.0.0.1:{}", self.password, self.tls_port)
    }
}

/// Three masters sharing the 16,384 slots, no replicas.
pub struct RedisCluster {
    /// The nodes.
    pub nodes: Vec<RedisServer>,
}

impl RedisCluster {
    /// Starts three nodes, joins them with `redis-cli --cluster create` and waits until every
    /// node says the cluster is ok.
    pub fn start() -> Self {
        let dir = scratch("redis-cluster");
        let nodes: Vec<RedisServer> = (0..3)
            .map(|n| {
                let config = dir.join(format!("nodes-{n}-{}.conf", free_port()));
                let args: Vec<String> = vec![
                    "--cluster-enabled".into(),
                    "yes".into(),
                    "--cluster-config-file".into(),
                    config.to_string_lossy().into_owned(),
                    // The bus port is the port + 10,000 unless said: not always free or valid.
                    "--cluster-port".into(),
                    free_port().to_string(),
                ];
                RedisServer::start_with(&args)
            })
            .collect();
        let addresses: Vec<String> = nodes
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port()))
            .collect();
        let mut create = vec!["--cluster", "create"];
        create.extend(addresses.iter().map(String::as_str));
        create.extend(["--cluster-replicas", "0", "--cluster-yes"]);
        run("redis-cli", &create);
        let cluster = Self { nodes };
        let deadline = Instant::now() + CLUSTER_TIMEOUT;
        while !cluster.agrees() {
            assert!(Instant::now() < deadline, "the cluster did not become ok");
            std::thread::sleep(Duration::from_millis(50));
        }
        cluster
    }

    /// Whether every node reports `cluster_state:ok` and knows all three masters.
    fn agrees(&self) -> bool {
        self.nodes.iter().all(|node| {
            let port = node.port().to_string();
            let info = run("redis-cli", &["-p", &port, "cluster", "info"]);
            info.contains("cluster_state:ok") && info.contains("cluster_known_nodes:3")
        })
    }

    /// `redis-cluster://127.0.0.1:A,127.0.0.1:B` (two of the three: the driver finds the third).
    pub fn url(&self) -> String {
        let seeds: Vec<String> = self.nodes[..2]
            .iter()
            .map(|node| format!("127.0.0.1:{}", node.port()))
            .collect();
        format!("redis-cluster://{}", seeds.join(","))
    }

    /// How many keys each node holds.
    pub fn keys_per_node(&self) -> Vec<u64> {
        self.nodes
            .iter()
            .map(|node| {
                let said = run("redis-cli", &["-p", &node.port().to_string(), "dbsize"]);
                said.trim().parse().unwrap_or(0)
            })
            .collect()
    }
}
