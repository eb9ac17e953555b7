//! Sending a first code, and another for the same verification.

use std::net::IpAddr;

use checkout_verify::core::backend::reference::{SendAccepted, SendBody};

use super::{destination_record_key, verification_key, Operations};
use crate::clock::Clock;
use crate::delivery::{self, DeliveryError, Texts};
use crate::error::ApiError;
use crate::outbox::Message;
use crate::policy::verification::Start;
use crate::policy::{
    Destination, DestinationRecord, DestinationRefusal, ResendRefusal, Verification,
};
use crate::random;
use crate::store::Store;

pub use crate::delivery::CHANNELS;

/// Longest `context` (the store's checkout or order id), in characters.
pub const MAX_CONTEXT_CHARS: usize = 128;

/// Longest verification id looked up; longer ones are unknown.
pub const MAX_ID_CHARS: usize = 64;

impl<S: Store, C: Clock> Operations<S, C> {
    /// `POST /api/verification` from `client`: a first code for a destination, or with a
    /// `verification_id` another code for it.
    pub async fn send(&self, request: SendBody, client: IpAddr) -> Result<SendAccepted, ApiError> {
        let now = self.clock.now_ms();
        if !CHANNELS.contains(&request.channel.as_str()) {
            return Err(ApiError::BadRequest(format!(
                "channel must be one of {}",
                CHANNELS.join(", ")
            )));
        }
        // Refused before anything is spent or stored.
        if !self.settings.dev && self.settings.gateways.route(&request.channel).is_none() {
            return Err(ApiError::ChannelUnavailable(request.channel));
        }
        match request.verification_id {
            Some(ref id) => {
                let locale = request.locale.as_deref();
                self.resend(id, &request.channel, locale, client, now).await
            }
            None => self.start(request, client, now).await,
        }
    }

    async fn start(
        &self,
        request: SendBody,
        client: IpAddr,
        now: u64,
    ) -> Result<SendAccepted, ApiError> {
        let policy = &self.settings.policy;
        let keys = &self.settings.keys;
        let raw = request
            .destination
            .filter(|d| !d.trim().is_empty())
            .ok_or_else(|| ApiError::BadRequest("destination is required".into()))?;
        let context = request.context.filter(|c| !c.is_empty());
        if context.as_ref().is_some_and(|c| {
            c.chars().count() > MAX_CONTEXT_CHARS || c.chars().any(char::is_control)
        }) {
            return Err(ApiError::BadRequest(format!(
                "context must be at most {MAX_CONTEXT_CHARS} printable characters"
            )));
        }
        let (destination, hint) = Destination::parse_with_hint(&raw, &request.channel)
            .map_err(|_| ApiError::InvalidDestination)?;
        self.spend_send_budgets(client, now).await?;
        let destination_key = keys.destination_key(destination.as_str());
        let tag = self.client_tag(client);
        self.store
            .update(
                &destination_record_key(&destination_key),
                now,
                |record: &mut Option<DestinationRecord>| {
                    record.get_or_insert_default().admit(now, policy, &tag)
                },
            )
            .await?
            .map_err(|refusal| match refusal {
                DestinationRefusal::TooManyStarts { retry_after_s }
                | DestinationRefusal::Locked { retry_after_s } => {
                    ApiError::SendLimit { retry_after_s }
                }
            })?;
        let id = random::token("vrf_", 16).map_err(unavailable)?;
        let code = random::code(policy.code_length).map_err(unavailable)?;
        let start = Start {
            destination: destination.as_str().into(),
            destination_key,
            context,
            code_mac: keys.code_mac(&id, &code),
        };
        let verification = Verification::new(start, now, policy);
        // Stored first, so a shopper fast enough to type the code finds it; taken back with
        // the destination's start when the code could not be delivered.
        self.store
            .update(&verification_key(&id), now, |slot| {
                *slot = Some(verification.clone());
            })
            .await?;
        let locale = request.locale.as_deref();
        if let Err(error) = self
            .deliver(&destination, &request.channel, locale, &id, &code, now)
            .await
        {
            self.store
                .update(
                    &verification_key(&id),
                    now,
                    |slot: &mut Option<Verification>| {
                        *slot = None;
                    },
                )
                .await?;
            self.store
                .update(
                    &destination_record_key(&verification.destination_key),
                    now,
                    |record: &mut Option<DestinationRecord>| {
                        if let Some(record) = record {
                            record.release(now);
                        }
                    },
                )
                .await?;
            return Err(error);
        }
        Ok(self.accepted(id, &verification, hint, now))
    }

    /// Another code for verification `id`, by `channel` (the shopper may switch, "Call me
    /// instead", to any channel that reaches the same destination).
    async fn resend(
        &self,
        id: &str,
        channel: &str,
        locale: Option<&str>,
        client: IpAddr,
        now: u64,
    ) -> Result<SendAccepted, ApiError> {
        let policy = &self.settings.policy;
        if id.len() > MAX_ID_CHARS {
            return Err(ApiError::Expired);
        }
        self.spend_send_budgets(client, now).await?;
        let key = verification_key(id);
        let current: Option<Verification> = self.store.update(&key, now, |v| v.clone()).await?;
        let current = current.ok_or(ApiError::Expired)?;
        // An e-mail address cannot take a call, nor a phone an e-mail.
        Destination::parse(&current.destination, channel)
            .map_err(|_| ApiError::InvalidDestination)?;
        if let Some(retry_after_s) = self
            .destination_lock(&current.destination_key, client, now)
            .await?
        {
            return Err(ApiError::SendLimit { retry_after_s });
        }
        let code = random::code(policy.code_length).map_err(unavailable)?;
        let code_mac = self.settings.keys.code_mac(id, &code);
        let (before, verification) = self
            .store
            .update(&key, now, |slot: &mut Option<Verification>| match slot {
                None => Err(ApiError::Expired),
                Some(v) => match (v.clone(), v.resend(code_mac.clone(), now, policy)) {
                    (before, Ok(())) => Ok((before, v.clone())),
                    (_, Err(ResendRefusal::Cooldown { retry_after_s })) => {
                        Err(ApiError::Cooldown { retry_after_s })
                    }
                    (_, Err(ResendRefusal::SendLimit { retry_after_s })) => {
                        Err(ApiError::SendLimit { retry_after_s })
                    }
                },
            })
            .await??;
        let destination = Destination::from_canonical(&verification.destination);
        if let Err(error) = self
            .deliver(&destination, channel, locale, id, &code, now)
            .await
        {
            // Not counted: the earlier code works again, with its own deadlines.
            self.store
                .update(&key, now, |slot: &mut Option<Verification>| {
                    if let Some(v) = slot {
                        v.withdraw(&code_mac, &before);
                    }
                })
                .await?;
            return Err(error);
        }
        Ok(self.accepted(id.to_string(), &verification, destination.hint(), now))
    }

    /// Hands the code to the channel's gateway and waits until it was accepted; in dev mode a
    /// channel without one goes to the outbox.
    async fn deliver(
        &self,
        destination: &Destination,
        channel: &str,
        locale: Option<&str>,
        verification_id: &str,
        code: &str,
        now: u64,
    ) -> Result<(), ApiError> {
        let settings = &self.settings;
        let texts = Texts {
            store_name: settings.store_name.clone(),
            host: settings.public_host.clone(),
            ttl_s: settings.policy.ttl_s,
        };
        let message = texts.message(destination.as_str(), channel, locale, verification_id, code);
        let Some(gateway) = settings.gateways.route(channel) else {
            if !settings.dev {
                return Err(ApiError::ChannelUnavailable(channel.to_string()));
            }
            self.outbox.deliver(Message {
                to: message.to,
                channel: message.channel,
                text: message.text,
                sent_at_ms: now,
            });
            return Ok(());
        };
        delivery::deliver(gateway, message).await.map_err(|error| {
            // The gateway's words, for the operator: never the message, never the number.
            eprintln!("delivery of verification {verification_id} by {channel}: {error}");
            match error {
                DeliveryError::Refused(_) => ApiError::InvalidDestination,
                DeliveryError::Unavailable(detail) => ApiError::NotDelivered(detail),
            }
        })
    }

    fn accepted(
        &self,
        verification_id: String,
        verification: &Verification,
        destination_hint: String,
        now: u64,
    ) -> SendAccepted {
        let policy = &self.settings.policy;
        SendAccepted {
            verification_id,
            expires_in: Some(verification.expires_in_s(now)),
            resend_in: Some(verification.resend_in_s(now)),
            sends_remaining: Some(verification.sends_remaining(policy)),
            code_length: policy.code_length,
            destination_hint: Some(destination_hint),
        }
    }
}

fn unavailable(error: random::RandomError) -> ApiError {
    ApiError::Unavailable(error.to_string())
}
