//! The command line (a stable surface, docs/ARCHITECTURE.md), read by clap: `--help` lists every
//! flag with its default and environment variable.
//!
//! Outside `--dev`, `--public-host`, the secret and the redeem key are required: the secret and
//! the key from their files or from `CHECKOUT_VERIFY_SECRET` / `CHECKOUT_VERIFY_REDEEM_KEY`. In
//! dev mode each missing one is random for the run and the public host is `127.0.0.1`. Outside
//! `--dev` at least one `--deliver` is required: codes must reach shoppers.

use std::fmt;
use std::net::IpAddr;
use std::path::PathBuf;
use std::str::FromStr;

use checkout_verify::core::url::host::canonical;
use clap::{CommandFactory, Parser};

use crate::delivery::{GatewaySetup, Gateways};
use crate::http::client::Cidr;
use crate::http::origin::normalise_origin;
use crate::keys::{random_key, Keys};
use crate::operations::Settings;
use crate::policy::{Policy, Rate};
use crate::store::memory::DEFAULT_CAPACITY;
use crate::store::RedisAddress;

/// The environment `--help` ends with: what is read besides the flags.
const ENVIRONMENT: &str = "Environment:
  CHECKOUT_VERIFY_SECRET          the secret, when --secret-file is not given
  CHECKOUT_VERIFY_REDEEM_KEY      the redeem key, when --redeem-key-file is not given
  CHECKOUT_VERIFY_REDIS_PASSWORD  the Redis password, when --store's URL has none
  SSL_CERT_FILE                   the CAs (PEM) a rediss:// store's certificate must come from
  SMTP_USERNAME, SMTP_PASSWORD    the login of --deliver email=smtp://… or smtps://…
  TWILIO_ACCOUNT_SID, TWILIO_AUTH_TOKEN, TWILIO_FROM   --deliver CHANNEL=twilio:
  AWS_REGION and the AWS SDK's credentials             --deliver sms=sns:

Create each key file readable by its owner only:
  (umask 077; openssl rand -hex 32 > secret; openssl rand -hex 32 > redeem-key)";

/// Where records live.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StoreChoice {
    /// This process's memory (`memory`).
    Memory,
    /// A Redis or Redis Cluster, shared by every instance pointed at it.
    Redis(RedisAddress),
}

impl FromStr for StoreChoice {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        match text {
            "memory" => Ok(Self::Memory),
            url => RedisAddress::parse(url).map(Self::Redis),
        }
    }
}

/// Seconds to wait after each code, the last repeating: `30,60,120`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Waits(pub Vec<u64>);

impl FromStr for Waits {
    type Err = String;

    fn from_str(text: &str) -> Result<Self, String> {
        let waits: Option<Vec<u64>> = text
            .split(',')
            .map(|wait| wait.trim().parse().ok().filter(|&s| s <= 86_400))
            .collect();
        waits.filter(|w| w.len() <= 10).map(Self).ok_or(format!(
            "must be up to 10 waits in seconds like 30,60,120, got {text:?}"
        ))
    }
}

impl fmt::Display for Waits {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let waits: Vec<String> = self.0.iter().map(u64::to_string).collect();
        f.write_str(&waits.join(","))
    }
}

/// What the command line asks for. Every policy number defaults to [`Policy::default`].
#[derive(Debug, Clone, PartialEq, Eq, Parser)]
#[command(
    name = "checkout-verify-server",
    version,
    about = "The reference backend of checkout-verify: sends one-time codes, checks them, and \
             issues proofs a store's server redeems.",
    after_help = ENVIRONMENT,
    // A flag given twice takes its last value, so a script can add to a base set of flags.
    args_override_self = true
)]
pub struct Options {
    /// Development mode: keeps every message in an outbox at /dev/outbox, prints codes, makes up
    /// missing keys, listens on loopback only.
    #[arg(long)]
    pub dev: bool,
    /// The one address to listen on: 0.0.0.0 or :: to face clients directly.
    #[arg(long, value_name = "ADDR", default_value = "127.0.0.1", value_parser = bind)]
    pub bind: IpAddr,
    /// The port; 0 picks a free one.
    #[arg(long, value_name = "N", env = "PORT", default_value_t = 8080, value_parser = port)]
    pub port: u16,
    /// A trusted reverse proxy (repeatable; an address or a range such as 10.0.0.0/8): from it,
    /// the client is read from Forwarded or X-Forwarded-For.
    #[arg(long = "trusted-proxy", value_name = "CIDR", value_parser = trusted_proxy)]
    pub trusted_proxies: Vec<Cidr>,
    /// The built demo to serve at /.
    #[arg(long, value_name = "DIR")]
    pub site: Option<PathBuf>,
    /// The store's host, named in every message's origin-bound line (required outside --dev).
    #[arg(long, value_name = "HOST", value_parser = public_host)]
    pub public_host: Option<String>,
    /// How messages name the store [default: --public-host; "Demo Store" in --dev].
    #[arg(long, value_name = "NAME", value_parser = store_name)]
    pub store_name: Option<String>,
    /// An origin allowed to send and check codes from a browser (repeatable; exact).
    #[arg(long = "allow-origin", value_name = "ORIGIN", value_parser = allow_origin)]
    pub allow_origins: Vec<String>,
    /// Where codes go (repeatable): CHANNEL sms, voice, whatsapp or email; URI
    /// smtp://HOST:PORT?from=ADDRESS, smtps://…, webhook+https://HOST/PATH (plain http on
    /// loopback only), twilio: or sns:.
    #[arg(long, value_name = "CHANNEL=URI")]
    pub deliver: Vec<String>,
    /// The key webhooks are signed with (at least 32 bytes).
    #[arg(long, value_name = "FILE")]
    pub webhook_key_file: Option<PathBuf>,
    /// The secret of code hashes and proofs (at least 32 bytes, readable by its owner only).
    #[arg(long, value_name = "FILE")]
    pub secret_file: Option<PathBuf>,
    /// The bearer key a store's server redeems proofs with (as --secret-file).
    #[arg(long, value_name = "FILE")]
    pub redeem_key_file: Option<PathBuf>,
    /// Where records live: memory, redis://[:PASSWORD@]HOST:PORT, rediss://… (TLS),
    /// redis-cluster://[:PASSWORD@]HOST:PORT,HOST:PORT,… or rediss-cluster://….
    #[arg(long, value_name = "STORE", default_value = "memory")]
    pub store: StoreChoice,
    /// Records the memory store holds at most.
    #[arg(long, value_name = "N", default_value_t = DEFAULT_CAPACITY, value_parser = records)]
    pub max_records: usize,
    /// Seconds a code stays valid.
    #[arg(long = "code-lifetime", value_name = "S", default_value_t = Policy::default().ttl_s, value_parser = seconds)]
    pub code_lifetime_s: u64,
    /// Wrong codes per verification.
    #[arg(long, value_name = "N", default_value_t = Policy::default().max_attempts, value_parser = count)]
    pub max_attempts: u32,
    /// Seconds to wait after the 1st, 2nd, … code, the last repeating.
    #[arg(long, value_name = "S,S,…", default_value_t = Waits(Policy::default().resend.cooldowns_s))]
    pub resend_waits: Waits,
    /// Codes per verification, the first included.
    #[arg(long, value_name = "N", default_value_t = Policy::default().resend.max_sends, value_parser = count)]
    pub max_sends: u32,
    /// New verifications per destination an hour.
    #[arg(long, value_name = "N", default_value_t = Policy::default().max_starts, value_parser = count)]
    pub starts_per_destination_hour: u32,
    /// Wrong codes in a row from one client for one destination that lock that client out of
    /// it for a day; each as many from all clients together make the destination wait.
    #[arg(long, value_name = "N", default_value_t = Policy::default().max_failures, value_parser = count)]
    pub max_failures: u32,
    /// Wrong codes in a row from all clients that lock a destination for everyone for a day
    /// (NIST SP 800-63B allows at most 100).
    #[arg(long, value_name = "N", default_value_t = Policy::default().destination_max_failures, value_parser = count)]
    pub max_destination_failures: u32,
    /// Seconds a destination waits before more codes are checked after each --max-failures
    /// wrong codes from all clients, the last repeating.
    #[arg(long, value_name = "S,S,…", default_value_t = Waits(Policy::default().throttle_waits_s))]
    pub throttle_waits: Waits,
    /// Sends per client (an IPv4 address or an IPv6 /64) an hour.
    #[arg(long, value_name = "N", default_value_t = Policy::default().client_sends.per_hour, value_parser = count)]
    pub client_sends_per_hour: u32,
    /// Sends per network (an IPv4 /24 or an IPv6 /48) an hour; never less than a client's.
    #[arg(long, value_name = "N", default_value_t = Policy::default().network_sends.per_hour, value_parser = count)]
    pub network_sends_per_hour: u32,
    /// Sends from everyone together an hour: the ceiling on what SMS pumping can cost.
    #[arg(long, value_name = "N", default_value_t = Policy::default().overall_sends.per_hour, value_parser = count)]
    pub sends_per_hour: u32,
    /// Percent of a network's and of everyone's burst kept for clients that sent nothing
    /// lately, so a flood slows the flooders, not a shopper's first code.
    #[arg(long, value_name = "P", default_value_t = Policy::default().quiet_reserve_percent, value_parser = percent)]
    pub quiet_reserve_percent: u32,
    /// Seconds a proof waits for its redemption.
    #[arg(long = "proof-lifetime", value_name = "S", default_value_t = Policy::default().proof_ttl_s, value_parser = seconds)]
    pub proof_lifetime_s: u64,
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

/// Reads the arguments (without the program name). The error, printed by `exit()`, is the help
/// for `--help` and `--version`, else the mistake with the usage.
pub fn parse(args: impl IntoIterator<Item = String>) -> Result<Options, clap::Error> {
    let program = std::iter::once("checkout-verify-server".to_string());
    let options = Options::try_parse_from(program.chain(args))?;
    let conflict = |message: String| {
        Options::command().error(clap::error::ErrorKind::ArgumentConflict, message)
    };
    if options.dev && !options.bind.is_loopback() {
        return Err(conflict(format!(
            "--dev keeps every message and serves /dev/*: it listens on loopback only, not {}",
            options.bind
        )));
    }
    if !options.dev && options.public_host.is_none() {
        return Err(conflict("--public-host is required outside --dev: it names the store in every message, and is never taken from a request".into()));
    }
    Ok(options)
}

fn bind(text: &str) -> Result<IpAddr, String> {
    text.parse().map_err(|_| {
        format!("--bind must be an IP address such as 127.0.0.1, 0.0.0.0 or ::, got {text:?}")
    })
}

fn port(text: &str) -> Result<u16, String> {
    text.parse()
        .map_err(|_| format!("port must be a number from 0 to 65535, got {text:?}"))
}

fn trusted_proxy(text: &str) -> Result<Cidr, String> {
    text.parse().map_err(|why| format!("--trusted-proxy {why}"))
}

fn public_host(host: &str) -> Result<String, String> {
    match canonical(host) {
        Some(c) if c == host.to_ascii_lowercase() && !host.contains(':') => Ok(c),
        _ => Err(format!(
            "--public-host must be a host name such as shop.example, got {host:?}"
        )),
    }
}

fn store_name(name: &str) -> Result<String, String> {
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 60 || name.chars().any(char::is_control) {
        return Err(format!(
            "--store-name must be 1 to 60 printable characters, got {name:?}"
        ));
    }
    Ok(name.to_string())
}

fn allow_origin(origin: &str) -> Result<String, String> {
    normalise_origin(origin).ok_or(format!(
        "--allow-origin must be an origin such as https://shop.example, got {origin:?}"
    ))
}

fn seconds(text: &str) -> Result<u64, String> {
    text.parse::<u64>()
        .ok()
        .filter(|s| (1..=86_400).contains(s))
        .ok_or(format!("must be seconds from 1 to 86400, got {text:?}"))
}

fn count(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|&n| n > 0)
        .ok_or(format!("must be a whole number from 1, got {text:?}"))
}

fn percent(text: &str) -> Result<u32, String> {
    text.parse::<u32>()
        .ok()
        .filter(|&n| n <= 100)
        .ok_or(format!("must be a percentage from 0 to 100, got {text:?}"))
}

fn records(text: &str) -> Result<usize, String> {
    count(text).map(|n| n as usize)
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
        let defaults = Policy::default();
        let mut policy = Policy {
            ttl_s: self.code_lifetime_s,
            max_attempts: self.max_attempts,
            max_starts: self.starts_per_destination_hour,
            starts_window_s: 3600,
            max_failures: self.max_failures,
            destination_max_failures: self.max_destination_failures,
            throttle_waits_s: self.throttle_waits.0.clone(),
            client_sends: rate(self.client_sends_per_hour, defaults.client_sends),
            network_sends: rate(self.network_sends_per_hour, defaults.network_sends),
            overall_sends: rate(self.sends_per_hour, defaults.overall_sends),
            quiet_reserve_percent: self.quiet_reserve_percent,
            proof_ttl_s: self.proof_lifetime_s,
            ..defaults.clone()
        };
        policy.resend.cooldowns_s = self.resend_waits.0.clone();
        policy.resend.max_sends = self.max_sends;
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

/// A budget of `per_hour`: the default's when that is the default's rate, else with bursts of a
/// twelfth of it (five minutes' worth, at least 1).
fn rate(per_hour: u32, default: Rate) -> Rate {
    match per_hour == default.per_hour {
        true => default,
        false => Rate {
            per_hour,
            burst: (per_hour / 12).max(1),
        },
    }
}

#[cfg(test)]
mod tests;
