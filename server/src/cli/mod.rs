//! The command line (a stable surface, docs/ARCHITECTURE.md):
//!
//! ```text
//! checkout-verify-server [--dev] [--bind ADDR] [--trusted-proxy CIDR]... [--port N]
//!     [--site DIR] [--public-host HOST]
//!     [--store-name NAME] [--allow-origin ORIGIN]... [--secret-file FILE]
//!     [--redeem-key-file FILE] [--deliver CHANNEL=URI]... [--webhook-key-file FILE]
//!     [--store memory|redis://HOST:PORT] [--client-sends-per-hour N] [--sends-per-hour N]
//!     [--max-failures N] [--max-records N] [--resend-waits S,S,...] [--code-lifetime S]
//!     [--max-attempts N] [--max-sends N] [--starts-per-destination-hour N] [--proof-lifetime S]
//! ```
//!
//! Outside `--dev`, `--public-host`, the secret and the redeem key are required: the secret and
//! the key from their files or from `CHECKOUT_VERIFY_SECRET` / `CHECKOUT_VERIFY_REDEEM_KEY`. In
//! dev mode each missing one is random for the run and the public host is `127.0.0.1`. Outside
//! `--dev` at least one `--deliver` is required: codes must reach shoppers.

use std::path::PathBuf;

use checkout_verify::core::url::host::canonical;

use crate::delivery::{GatewaySetup, Gateways};
use crate::http::client::Cidr;
use crate::http::origin::normalise_origin;
use crate::keys::{random_key, Keys};
use crate::operations::Settings;
use crate::policy::{Policy, Rate};
use crate::store::memory::DEFAULT_CAPACITY;

/// How to use the command, printed with every mistake.
pub const USAGE: &str =
    "usage: checkout-verify-server [--dev] [--bind ADDR] [--trusted-proxy CIDR]... [--port N]
    [--site DIR] [--public-host HOST]
    [--store-name NAME] [--allow-origin ORIGIN]... [--secret-file FILE]
    [--redeem-key-file FILE] [--deliver CHANNEL=URI]... [--webhook-key-file FILE]
    [--store memory|redis://HOST:PORT] [--client-sends-per-hour N] [--sends-per-hour N]
    [--max-failures N] [--max-records N] [--resend-waits S,S,...] [--code-lifetime S]
    [--max-attempts N] [--max-sends N] [--starts-per-destination-hour N] [--proof-lifetime S]
  --deliver sms|voice|whatsapp|email=URI, URI one of:
    smtp://HOST:PORT?from=ADDRESS, smtps://HOST:PORT?from=ADDRESS (e-mail; SMTP_USERNAME,
    SMTP_PASSWORD), webhook+https://HOST/PATH (signed under --webhook-key-file; plain http on
    loopback only), twilio: (TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM), sns: (sms;
    AWS_REGION and the AWS credentials)";

/// Where records live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// This process's memory, holding at most this many records.
    Memory(usize),
    /// A Redis server (`redis://HOST:PORT`), shared by every instance pointed at it.
    Redis(String),
}

/// What the command line asks for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Options {
    /// `--dev`.
    pub dev: bool,
    /// `--bind`: the one address to listen on; `127.0.0.1` unless said.
    pub bind: std::net::IpAddr,
    /// `--port`, else `$PORT`, else 8080; 0 picks a free one.
    pub port: u16,
    /// `--site`: the built demo to serve.
    pub site: Option<PathBuf>,
    /// `--public-host`, canonical.
    pub public_host: Option<String>,
    /// `--store-name`: how messages name the store.
    pub store_name: Option<String>,
    /// `--allow-origin`, each as browsers send it.
    pub allow_origins: Vec<String>,
    /// `--trusted-proxy`, each an address or a range.
    pub trusted_proxies: Vec<Cidr>,
    /// `--deliver`, each `CHANNEL=URI` as given.
    pub deliver: Vec<String>,
    /// `--webhook-key-file`.
    pub webhook_key_file: Option<PathBuf>,
    /// `--secret-file`.
    pub secret_file: Option<PathBuf>,
    /// `--redeem-key-file`.
    pub redeem_key_file: Option<PathBuf>,
    /// `--store`.
    pub store: StoreChoice,
    /// `--client-sends-per-hour` (default from [`Policy`]).
    pub client_sends_per_hour: Option<u32>,
    /// `--sends-per-hour` (default from [`Policy`]).
    pub sends_per_hour: Option<u32>,
    /// `--max-failures`: wrong codes in a row that lock a destination (default from [`Policy`]).
    pub max_failures: Option<u32>,
    /// `--resend-waits`: seconds to wait after the 1st, 2nd, … code, the last repeating (default
    /// from [`Policy`]).
    pub resend_waits: Option<Vec<u64>>,
    /// `--code-lifetime`: seconds a code stays valid (default from [`Policy`]).
    pub code_lifetime_s: Option<u64>,
    /// `--max-attempts`: wrong codes per verification (default from [`Policy`]).
    pub max_attempts: Option<u32>,
    /// `--max-sends`: codes per verification, the first included (default from [`Policy`]).
    pub max_sends: Option<u32>,
    /// `--starts-per-destination-hour`: new verifications per number an hour (default from
    /// [`Policy`]).
    pub starts_per_destination_hour: Option<u32>,
    /// `--proof-lifetime`: seconds a proof waits for its redemption (default from [`Policy`]).
    pub proof_lifetime_s: Option<u64>,
}

/// What the server starts with.
pub struct Setup {
    /// Its settings.
    pub settings: Settings,
    /// The redeem key dev mode made up, which the developer's store server needs to redeem a
    /// proof: printed at start.
    pub made_up_redeem_key: Option<String>,
}

impl std::fmt::Debug for Setup {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Setup")
            .field("settings", &self.settings)
            .finish_non_exhaustive()
    }
}

/// Reads the arguments (without the program name); `env` looks up environment variables.
pub fn parse(
    args: impl IntoIterator<Item = String>,
    env: impl Fn(&str) -> Option<String>,
) -> Result<Options, String> {
    let mut options = Options {
        dev: false,
        bind: std::net::IpAddr::from([127, 0, 0, 1]),
        port: 8080,
        site: None,
        public_host: None,
        store_name: None,
        allow_origins: Vec::new(),
        trusted_proxies: Vec::new(),
        deliver: Vec::new(),
        webhook_key_file: None,
        secret_file: None,
        redeem_key_file: None,
        store: StoreChoice::Memory(DEFAULT_CAPACITY),
        client_sends_per_hour: None,
        sends_per_hour: None,
        max_failures: None,
        resend_waits: None,
        code_lifetime_s: None,
        max_attempts: None,
        max_sends: None,
        starts_per_destination_hour: None,
        proof_lifetime_s: None,
    };
    let mut port = env("PORT");
    let mut max_records = None;
    let mut store = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--dev" => options.dev = true,
            "--port" => port = Some(value("--port")?),
            "--bind" => {
                let address = value("--bind")?;
                options.bind = address.parse().map_err(|_| {
                    format!("--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got {address:?}")
                })?;
            }
            "--site" => options.site = Some(value("--site")?.into()),
            "--public-host" => {
                let host = value("--public-host")?;
                match canonical(&host) {
                    Some(c) if c == host.to_ascii_lowercase() && !host.contains(':') => {
                        options.public_host = Some(c);
                    }
                    _ => {
                        return Err(format!(
                            "--public-host must be a host name such as shop.example, got {host:?}"
                        ))
                    }
                }
            }
            "--allow-origin" => {
                let origin = value("--allow-origin")?;
                let normal = normalise_origin(&origin).ok_or(format!(
                    "--allow-origin must be an origin such as https://shop.example, got {origin:?}"
                ))?;
                options.allow_origins.push(normal);
            }
            "--store-name" => {
                let name = value("--store-name")?;
                let name = name.trim();
                if name.is_empty()
                    || name.chars().count() > 60
                    || name.chars().any(char::is_control)
                {
                    return Err(format!(
                        "--store-name must be 1 to 60 printable characters, got {name:?}"
                    ));
                }
                options.store_name = Some(name.to_string());
            }
            "--deliver" => options.deliver.push(value("--deliver")?),
            "--trusted-proxy" => {
                let range = value("--trusted-proxy")?;
                let range = range
                    .parse()
                    .map_err(|why| format!("--trusted-proxy {why}"))?;
                options.trusted_proxies.push(range);
            }
            "--webhook-key-file" => {
                options.webhook_key_file = Some(value("--webhook-key-file")?.into());
            }
            "--secret-file" => options.secret_file = Some(value("--secret-file")?.into()),
            "--redeem-key-file" => {
                options.redeem_key_file = Some(value("--redeem-key-file")?.into());
            }
            "--store" => store = Some(value("--store")?),
            "--client-sends-per-hour" => {
                options.client_sends_per_hour = Some(count(
                    "--client-sends-per-hour",
                    &value("--client-sends-per-hour")?,
                )?);
            }
            "--sends-per-hour" => {
                options.sends_per_hour =
                    Some(count("--sends-per-hour", &value("--sends-per-hour")?)?);
            }
            "--max-failures" => {
                options.max_failures = Some(count("--max-failures", &value("--max-failures")?)?);
            }
            "--resend-waits" => {
                let text = value("--resend-waits")?;
                let waits: Option<Vec<u64>> = text
                    .split(',')
                    .map(|wait| wait.trim().parse().ok().filter(|&s| s <= 86_400))
                    .collect();
                options.resend_waits = Some(waits.filter(|w| w.len() <= 10).ok_or(format!(
                    "--resend-waits must be up to 10 waits in seconds like 30,60,120, got {text:?}"
                ))?);
            }
            "--code-lifetime" => {
                options.code_lifetime_s =
                    Some(seconds("--code-lifetime", &value("--code-lifetime")?)?);
            }
            "--max-attempts" => {
                options.max_attempts = Some(count("--max-attempts", &value("--max-attempts")?)?);
            }
            "--max-sends" => {
                options.max_sends = Some(count("--max-sends", &value("--max-sends")?)?)
            }
            "--starts-per-destination-hour" => {
                let text = value("--starts-per-destination-hour")?;
                options.starts_per_destination_hour =
                    Some(count("--starts-per-destination-hour", &text)?);
            }
            "--proof-lifetime" => {
                options.proof_lifetime_s =
                    Some(seconds("--proof-lifetime", &value("--proof-lifetime")?)?);
            }
            "--max-records" => {
                max_records = Some(count("--max-records", &value("--max-records")?)?)
            }
            "-h" | "--help" => return Err(String::new()),
            other => return Err(format!("unknown argument {other:?}")),
        }
    }
    if let Some(port) = port {
        options.port = port
            .parse()
            .map_err(|_| format!("port must be a number from 0 to 65535, got {port:?}"))?;
    }
    options.store = match store.as_deref() {
        None | Some("memory") => {
            StoreChoice::Memory(max_records.map_or(DEFAULT_CAPACITY, |n| n as usize))
        }
        Some(url) if url.starts_with("redis://") && url.len() > "redis://".len() => {
            StoreChoice::Redis(url.to_string())
        }
        Some(other) => {
            return Err(format!(
                "--store must be memory or redis://HOST:PORT, got {other:?}"
            ))
        }
    };
    if options.dev && !options.bind.is_loopback() {
        return Err(format!(
            "--dev keeps every message and serves /dev/*: it listens on loopback only, not {}",
            options.bind
        ));
    }
    if !options.dev && options.public_host.is_none() {
        return Err("--public-host is required outside --dev: it names the store in every message, and is never taken from a request".into());
    }
    Ok(options)
}

fn seconds(name: &str, text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|s| (1..=86_400).contains(s))
        .ok_or(format!(
            "{name} must be seconds from 1 to 86400, got {text:?}"
        ))
}

fn count(name: &str, text: &str) -> Result<u32, String> {
    text.parse::<u32>().ok().filter(|&n| n > 0).ok_or(format!(
        "{name} must be a whole number from 1, got {text:?}"
    ))
}

impl Options {
    /// The server's settings: reads the key files (or `env`); in dev mode each missing key is
    /// made up for the run.
    pub fn settings(
        &self,
        env: impl Fn(&str) -> Option<String>,
        read: impl Fn(&PathBuf) -> std::io::Result<Vec<u8>>,
    ) -> Result<Setup, String> {
        let load =
            |file: &Option<PathBuf>, var: &str, flag: &str| -> Result<Option<Vec<u8>>, String> {
                match file {
                    Some(path) => read(path)
                        .map(Some)
                        .map_err(|e| format!("{flag} {}: {e}", path.display())),
                    None => Ok(env(var).map(String::into_bytes)),
                }
            };
        let secret = load(&self.secret_file, "CHECKOUT_VERIFY_SECRET", "--secret-file")?;
        let redeem = load(
            &self.redeem_key_file,
            "CHECKOUT_VERIFY_REDEEM_KEY",
            "--redeem-key-file",
        )?;
        // Dev mode makes up each missing key on its own, so a developer can pin the redeem key
        // their store's server uses and still let the secret change every run.
        let made_up = |what: &str| -> Result<Vec<u8>, String> {
            match self.dev {
                true => random_key()
                    .map(String::into_bytes)
                    .map_err(|e| e.to_string()),
                false => Err(format!("{what} is required outside --dev")),
            }
        };
        let secret = match secret {
            Some(secret) => secret,
            None => made_up("a secret")
                .map_err(|e| format!("{e}: --secret-file FILE or CHECKOUT_VERIFY_SECRET"))?,
        };
        let (redeem, made_up_redeem_key) = match redeem {
            Some(redeem) => (redeem, None),
            None => {
                let key = made_up("a redeem key").map_err(|e| {
                    format!("{e}: --redeem-key-file FILE or CHECKOUT_VERIFY_REDEEM_KEY")
                })?;
                let shown = String::from_utf8_lossy(&key).into_owned();
                (key, Some(shown))
            }
        };
        let keys = Keys::new(&secret, &redeem).map_err(|e| e.to_string())?;
        let gateways = self.gateways(&env, &read)?;
        let mut policy = Policy::default();
        if let Some(per_hour) = self.client_sends_per_hour {
            policy.client_sends = rate(per_hour);
        }
        if let Some(per_hour) = self.sends_per_hour {
            policy.overall_sends = rate(per_hour);
        }
        if let Some(max_failures) = self.max_failures {
            policy.max_failures = max_failures;
        }
        if let Some(waits) = &self.resend_waits {
            policy.resend.cooldowns_s = waits.clone();
        }
        if let Some(lifetime) = self.code_lifetime_s {
            policy.ttl_s = lifetime;
        }
        if let Some(attempts) = self.max_attempts {
            policy.max_attempts = attempts;
        }
        if let Some(sends) = self.max_sends {
            policy.resend.max_sends = sends;
        }
        if let Some(starts) = self.starts_per_destination_hour {
            policy.max_starts = starts;
            policy.starts_window_s = 3600;
        }
        if let Some(lifetime) = self.proof_lifetime_s {
            policy.proof_ttl_s = lifetime;
        }
        let settings = Settings {
            policy,
            public_host: self
                .public_host
                .clone()
                .unwrap_or_else(|| "127.0.0.1".into()),
            // Dev mode's public host is 127.0.0.1: no name for a shopper to hear.
            store_name: self
                .store_name
                .clone()
                .or_else(|| self.public_host.clone())
                .unwrap_or_else(|| "Demo Store".into()),
            allow_origins: self.allow_origins.clone(),
            trusted_proxies: self.trusted_proxies.clone(),
            gateways,
            dev: self.dev,
            print: self.dev,
            keys,
        };
        Ok(Setup {
            settings,
            made_up_redeem_key,
        })
    }

    /// The gateway of each `--deliver`, with the webhook key when a webhook needs it. Outside
    /// `--dev` at least one is required.
    fn gateways(
        &self,
        env: &impl Fn(&str) -> Option<String>,
        read: &impl Fn(&PathBuf) -> std::io::Result<Vec<u8>>,
    ) -> Result<Gateways, String> {
        let webhook_key = match &self.webhook_key_file {
            Some(path) => {
                let key = read(path)
                    .map_err(|e| format!("--webhook-key-file {}: {e}", path.display()))?;
                let key = key.trim_ascii_end().to_vec();
                if key.len() < 32 {
                    return Err(format!(
                        "--webhook-key-file {}: the key must be at least 32 bytes (openssl rand -hex 32)",
                        path.display()
                    ));
                }
                Some(key)
            }
            None => None,
        };
        let setup = GatewaySetup {
            webhook_key: webhook_key.as_deref(),
            env,
        };
        let mut gateways = Gateways::default();
        for flag in &self.deliver {
            gateways.add(flag, &setup)?;
        }
        if gateways.is_empty() && !self.dev {
            return Err("outside --dev, codes must reach shoppers: add --deliver CHANNEL=URI, such as --deliver email=smtp://mail.shop.example:587?from=codes@shop.example or --deliver sms=webhook+https://sms.shop.example/send --webhook-key-file webhook-key".into());
        }
        Ok(gateways)
    }
}

/// Reads a key file (`--secret-file`, `--redeem-key-file`, `--webhook-key-file`), refusing one
/// that group or others may read: a secret others can read is no secret.
pub fn read_key_file(path: &PathBuf) -> std::io::Result<Vec<u8>> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(path)?.permissions().mode();
        if mode & 0o077 != 0 {
            return Err(std::io::Error::new(
                std::io::ErrorKind::PermissionDenied,
                format!(
                    "group or others may read it (mode {:o}); chmod 600 {}",
                    mode & 0o777,
                    path.display()
                ),
            ));
        }
    }
    std::fs::read(path)
}

/// A budget of `per_hour`, with bursts of a twelfth of it (five minutes' worth, at least 1).
fn rate(per_hour: u32) -> Rate {
    Rate {
        per_hour,
        burst: (per_hour / 12).max(1),
    }
}

#[cfg(test)]
mod tests;
