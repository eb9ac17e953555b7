//! Checking a code, and redeeming the proof an approval returns.

use std::net::IpAddr;

use checkout_verify::core::backend::reference::{CheckApproved, CheckBody, APPROVED};

use super::send::MAX_ID_CHARS;
use super::{destination_record_key, proof_key, verification_key, Operations, Redeemed};
use crate::clock::Clock;
use crate::error::ApiError;
use crate::policy::{CheckResult, DestinationRecord, GuessRefusal, Verification};
use crate::proof::{self, Pending, ProofError};
use crate::store::Store;

/// Longest code accepted, in characters (codes are 4 to 10 digits).
pub const MAX_CODE_CHARS: usize = 16;

impl<S: Store, C: Clock> Operations<S, C> {
    /// `POST /api/verification/check` from `client`: approves the right code once, with a signed
    /// proof; counts a wrong one against the verification, and against its destination from this
    /// client and from everyone.
    pub async fn check(
        &self,
        request: CheckBody,
        client: IpAddr,
    ) -> Result<CheckApproved, ApiError> {
        let now = self.clock.now_ms();
        let CheckBody {
            verification_id: id,
            code,
        } = request;
        if code.is_empty() || code.chars().count() > MAX_CODE_CHARS {
            return Err(ApiError::BadRequest(format!(
                "code must have 1 to {MAX_CODE_CHARS} characters"
            )));
        }
        if id.len() > MAX_ID_CHARS {
            return Err(ApiError::Expired);
        }
        let key = verification_key(&id);
        let current: Option<Verification> = self.store.update(&key, now, |v| v.clone()).await?;
        let current = current.ok_or(ApiError::Expired)?;
        // One atomic step on the destination before the code is compared: refused while it is
        // locked for this client or waits, else this guess counts as a wrong one in advance.
        // However many guesses arrive at once, no more are compared than the caps allow.
        let policy = &self.settings.policy;
        let destination = destination_record_key(&current.destination_key);
        let tag = self.client_tag(client);
        let locks = self
            .store
            .update(
                &destination,
                now,
                |record: &mut Option<DestinationRecord>| {
                    record.get_or_insert_default().guess(now, policy, &tag)
                },
            )
            .await?
            .map_err(|refusal| match refusal {
                GuessRefusal::Locked { retry_after_s } => ApiError::TooManyAttempts {
                    retry_after_s: Some(retry_after_s),
                },
                GuessRefusal::Throttled { retry_after_s } => {
                    ApiError::GuessesThrottled { retry_after_s }
                }
            })?;
        let code_mac = self.settings.keys.code_mac(&id, &code);
        let checked = self
            .store
            .update(&key, now, |slot: &mut Option<Verification>| {
                let verification = slot.as_mut()?;
                let result = verification.check(&code_mac, now);
                if locks.is_some() && !matches!(result, CheckResult::Approved) {
                    // This wrong code locked the destination for this client: its code is void
                    // too.
                    verification.lock();
                }
                let seen = verification.clone();
                if matches!(result, CheckResult::Approved | CheckResult::Expired) {
                    *slot = None;
                }
                Some((result, seen))
            })
            .await?;
        let result = checked.as_ref().map(|(result, _)| *result);
        if matches!(
            result,
            None | Some(CheckResult::Void | CheckResult::Expired)
        ) {
            // Nothing was compared: the failure counted in advance is taken back.
            self.store
                .update(
                    &destination,
                    now,
                    |record: &mut Option<DestinationRecord>| {
                        if let Some(record) = record {
                            record.take_back(policy, &tag);
                        }
                    },
                )
                .await?;
        }
        let Some((result, verification)) = checked else {
            return Err(ApiError::Expired);
        };
        match result {
            // The right code clears the destination's count and this client's, the advance one
            // included.
            CheckResult::Approved => self.approve(id, verification, &tag, now).await,
            CheckResult::Wrong { attempts_left } => match locks {
                Some(retry_after_s) => Err(ApiError::TooManyAttempts {
                    retry_after_s: Some(retry_after_s),
                }),
                None => Err(ApiError::WrongCode { attempts_left }),
            },
            CheckResult::Exhausted => Err(ApiError::TooManyAttempts {
                retry_after_s: locks,
            }),
            CheckResult::Void => Err(ApiError::TooManyAttempts {
                retry_after_s: None,
            }),
            CheckResult::Expired => Err(ApiError::Expired),
        }
    }

    /// The right code, from the client `tag` names: the wrong codes in a row before it no longer
    /// count, the destination's and this client's, and a proof is kept for redemption and
    /// returned signed.
    async fn approve(
        &self,
        id: String,
        verification: Verification,
        tag: &str,
        now: u64,
    ) -> Result<CheckApproved, ApiError> {
        self.store
            .update(
                &destination_record_key(&verification.destination_key),
                now,
                |record: &mut Option<DestinationRecord>| {
                    if let Some(record) = record {
                        record.succeed(tag);
                    }
                },
            )
            .await?;
        let pending = Pending {
            verification_id: id,
            destination: verification.destination,
            destination_key: verification.destination_key,
            context: verification.context,
            expires_at_ms: now + self.settings.policy.proof_ttl_s * 1000,
        };
        let token = proof::sign(
            &pending,
            &self.settings.public_host,
            now,
            &self.settings.keys,
        )
        .map_err(|e| ApiError::Unavailable(e.to_string()))?;
        let key = proof_key(&pending.verification_id);
        self.store
            .update(&key, now, |slot| *slot = Some(pending.clone()))
            .await?;
        Ok(CheckApproved {
            status: APPROVED.into(),
            token,
        })
    }

    /// Whether `bearer` is the key a store's server presents to redeem proofs.
    pub fn may_redeem(&self, bearer: Option<&str>) -> bool {
        bearer.is_some_and(|key| self.settings.keys.is_redeem_key(key))
    }

    /// Redeems a proof: what it proves, the first time only. Its caller must be the store's
    /// server: the redeem route checks the bearer key ([`Operations::may_redeem`]) first; the
    /// demo's own checkout runs inside the server.
    pub async fn redeem(&self, token: &str) -> Result<Redeemed, ApiError> {
        let now = self.clock.now_ms();
        let claims = proof::verify(token, &self.settings.public_host, now, &self.settings.keys)
            .map_err(|e| match e {
                ProofError::Expired => ApiError::AlreadyRedeemed,
                ProofError::Invalid | ProofError::Unsigned => ApiError::InvalidToken,
            })?;
        let pending = self
            .store
            .update(
                &proof_key(&claims.sub),
                now,
                |slot: &mut Option<Pending>| slot.take(),
            )
            .await?
            .ok_or(ApiError::AlreadyRedeemed)?;
        if pending.destination_key != claims.dst || pending.context != claims.ctx {
            return Err(ApiError::InvalidToken);
        }
        Ok(Redeemed {
            verification_id: pending.verification_id,
            destination: pending.destination,
            context: pending.context,
        })
    }
}
