//! What the server does, apart from HTTP: send and resend codes ([`send`]), check them and
//! redeem proofs ([`check`]). Each operation reads and updates records in the [`Store`] through
//! the pure rules of [`crate::policy`], and returns an answer or an [`ApiError`].

mod check;
mod send;

use std::net::IpAddr;

use checkout_verify::core::url::host::HostPattern;
use serde::{Deserialize, Serialize};

use crate::clock::Clock;
use crate::delivery::Gateways;
use crate::error::ApiError;
use crate::http::client::Cidr;
use crate::keys::Keys;
use crate::outbox::Outbox;
use crate::policy::{Bucket, DestinationRecord, Policy};
use crate::reports::Reports;
use crate::store::Store;

/// How the server is configured: the policy, who it is and whom it serves.
#[derive(Debug, Clone)]
pub struct Settings {
    /// Every number enforced.
    pub policy: Policy,
    /// The store's public host: the origin-bound line of every message names it, and proofs
    /// are issued by it. Never taken from a request.
    pub public_host: String,
    /// How messages name the store (`--store-name`, else the public host).
    pub store_name: String,
    /// Exact origins (`https://shop.example`) whose pages may send and check codes.
    pub allow_origins: Vec<String>,
    /// The reverse proxies (`--trusted-proxy`) whose forwarding headers name the client.
    pub trusted_proxies: Vec<Cidr>,
    /// The gateway of each channel (`--deliver`); in dev mode a channel without one goes to the
    /// outbox, outside it is refused.
    pub gateways: Gateways,
    /// Dev mode: keep messages of channels without a gateway for `GET /dev/outbox`, serve
    /// `/dev/*` to loopback hosts.
    pub dev: bool,
    /// Print messages and reports to standard output (dev mode, not tests).
    pub print: bool,
    /// The secrets.
    pub keys: Keys,
}

/// Everything the handlers share.
pub struct Operations<S, C> {
    /// Every record.
    pub store: S,
    /// The time source.
    pub clock: C,
    /// Where messages go.
    pub outbox: Outbox,
    /// Clone reports received.
    pub reports: Reports,
    /// The configuration.
    pub settings: Settings,
}

/// Body of `POST /api/verification/redeem`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RedeemBody {
    /// The token an approval returned.
    pub token: String,
}

/// The `200` answer to a redemption: what was verified.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Redeemed {
    /// The verification id.
    pub verification_id: String,
    /// The canonical destination: an E.164 number or a lower-cased address.
    pub destination: String,
    /// The store's checkout or order id given with the first send, or null.
    pub context: Option<String>,
}

impl<S: Store, C: Clock> Operations<S, C> {
    /// A backend over `store` and `clock`, with an outbox and clone-report table as `settings`
    /// says.
    pub fn new(settings: Settings, store: S, clock: C) -> Self {
        let mut hosts = vec![settings.public_host.as_str()];
        if settings.dev {
            hosts.extend(["localhost", "127.0.0.1"]);
        }
        let hosts = hosts.into_iter().filter_map(HostPattern::parse).collect();
        Self {
            outbox: Outbox::new(settings.dev, settings.print),
            reports: Reports::new(hosts, settings.print),
            store,
            clock,
            settings,
        }
    }

    /// Spends one send from the client's own budget, then from its network's and everyone's.
    /// A shared budget running short refuses the clients that sent lately and still serves a
    /// quiet one ([`Bucket::take_shared`]); a refused send is given back to the budgets it was
    /// taken from, so it costs nothing.
    async fn spend_send_budgets(&self, client: IpAddr, now_ms: u64) -> Result<(), ApiError> {
        let policy = &self.settings.policy;
        let own = client_key(client);
        let standing = self
            .store
            .update(&own, now_ms, |bucket: &mut Option<Bucket>| {
                bucket
                    .get_or_insert_default()
                    .take_own(now_ms, policy.client_sends)
            })
            .await?
            .map_err(|retry_after_s| ApiError::Throttled { retry_after_s })?;
        let mut spent = vec![(own, policy.client_sends)];
        let shared = [
            (network_key(client), policy.network_rate()),
            (OVERALL_KEY.to_string(), policy.overall_sends),
        ];
        for (key, rate) in shared {
            let reserve = policy.quiet_reserve(rate);
            let taken = self
                .store
                .update(&key, now_ms, |bucket: &mut Option<Bucket>| {
                    bucket
                        .get_or_insert_default()
                        .take_shared(now_ms, rate, reserve, standing)
                })
                .await?;
            if let Err(retry_after_s) = taken {
                for (key, rate) in &spent {
                    self.store
                        .update(key, now_ms, |bucket: &mut Option<Bucket>| {
                            if let Some(bucket) = bucket {
                                bucket.give_back(*rate);
                            }
                        })
                        .await?;
                }
                return Err(ApiError::Throttled { retry_after_s });
            }
            spent.push((key, rate));
        }
        Ok(())
    }

    /// Seconds the destination stays locked for `client` after too many wrong codes, if it is.
    async fn destination_lock(
        &self,
        destination_key: &str,
        client: IpAddr,
        now_ms: u64,
    ) -> Result<Option<u64>, ApiError> {
        let policy = &self.settings.policy;
        let tag = self.client_tag(client);
        Ok(self
            .store
            .update(
                &destination_record_key(destination_key),
                now_ms,
                |record: &mut Option<DestinationRecord>| {
                    record.as_ref().and_then(|r| r.locked(now_ms, policy, &tag))
                },
            )
            .await?)
    }

    /// How a destination's record names `client`: a keyed hash of its budget key.
    fn client_tag(&self, client: IpAddr) -> String {
        self.settings.keys.client_tag(&client_key(client))
    }
}

/// The store key of everyone's send budget.
const OVERALL_KEY: &str = "b:all";

/// The store key of a verification.
fn verification_key(id: &str) -> String {
    format!("v:{id}")
}

/// The store key of what is remembered about a destination (by its keyed hash, so the store's
/// key space holds no phone numbers).
fn destination_record_key(destination_key: &str) -> String {
    format!("d:{destination_key}")
}

/// The store key of a proof waiting for redemption.
fn proof_key(verification_id: &str) -> String {
    format!("p:{verification_id}")
}

/// The store key of a client's send budget: its IPv4 address, or its IPv6 /64 (one household
/// or server holds a whole /64, so a budget per address would be no budget).
fn client_key(client: IpAddr) -> String {
    match client {
        IpAddr::V4(v4) => format!("b:client:{v4}"),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => format!("b:client:{v4}"),
            None => {
                let s = v6.segments();
                format!("b:client:{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

/// The store key of a client's network's send budget: its IPv4 /24, or its IPv6 /48 (a site's
/// allocation), so that many addresses of one network share one budget.
fn network_key(client: IpAddr) -> String {
    let v4 = |v4: std::net::Ipv4Addr| {
        let [a, b, c, _] = v4.octets();
        format!("b:net:{a}.{b}.{c}.0/24")
    };
    match client {
        IpAddr::V4(address) => v4(address),
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(address) => v4(address),
            None => {
                let s = v6.segments();
                format!("b:net:{:x}:{:x}:{:x}::/48", s[0], s[1], s[2])
            }
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_budget_per_ipv4_address_and_per_ipv6_64() {
        let a: IpAddr = "2001:db8:1:2:aaaa::1".parse().expect("ip");
        let b: IpAddr = "2001:db8:1:2:bbbb::9".parse().expect("ip");
        let c: IpAddr = "2001:db8:1:3::1".parse().expect("ip");
        assert_eq!(client_key(a), client_key(b));
        assert_ne!(client_key(a), client_key(c));
        let mapped: IpAddr = "::ffff:192.0.2.7".parse().expect("ip");
        assert_eq!(client_key(mapped), "b:client:192.0.2.7");
    }

    #[test]
    fn one_network_budget_per_ipv4_24_and_per_ipv6_48() {
        let ip = |text: &str| text.parse::<IpAddr>().expect("ip");
        assert_eq!(network_key(ip("203.0.113.7")), "b:net:203.0.113.0/24");
        assert_eq!(
            network_key(ip("203.0.113.7")),
            network_key(ip("203.0.113.250"))
        );
        assert_ne!(
            network_key(ip("203.0.113.7")),
            network_key(ip("203.0.114.7"))
        );
        assert_eq!(
            network_key(ip("::ffff:203.0.113.9")),
            "b:net:203.0.113.0/24"
        );
        let a = ip("2001:db8:1:2::1");
        assert_eq!(network_key(a), "b:net:2001:db8:1::/48");
        assert_eq!(network_key(a), network_key(ip("2001:db8:1:ffff::9")));
        assert_ne!(network_key(a), network_key(ip("2001:db8:2::1")));
        assert_ne!(network_key(a), client_key(a), "a budget of its own");
    }
}
