//! Proof of verification: the signed token an approval returns, and the record that lets a
//! store's server redeem it exactly once.
//!
//! The token is a JWT (HS256, through the `jsonwebtoken` crate) binding the verification id,
//! a keyed hash of the destination, the store's context and an expiry. It proves nothing by
//! itself in a browser; the store's server presents it to `POST /api/verification/redeem`, which
//! checks the signature and consumes the pending record, so a token is accepted once.

use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation};
use serde::{Deserialize, Serialize};

use crate::keys::Keys;
use crate::store::Record;

/// The audience every proof names, so no other token signed with the same key passes.
pub const AUDIENCE: &str = "checkout-verify:redeem";

/// What a proof says.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    /// The server that approved: its public host.
    pub iss: String,
    /// [`AUDIENCE`].
    pub aud: String,
    /// The verification id.
    pub sub: String,
    /// The keyed hash of the canonical destination.
    pub dst: String,
    /// The store's checkout or order id given with the first send, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ctx: Option<String>,
    /// Issued at, seconds since the Unix epoch.
    pub iat: u64,
    /// Expires at, seconds since the Unix epoch.
    pub exp: u64,
}

/// A proof waiting for its redemption: what the store's server learns from it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Pending {
    /// The verification id.
    pub verification_id: String,
    /// The canonical destination (E.164 number or address).
    pub destination: String,
    /// Its keyed hash, as in the token.
    pub destination_key: String,
    /// The store's context, as in the token.
    pub context: Option<String>,
    /// When the token expires, milliseconds since the Unix epoch.
    pub expires_at_ms: u64,
}

impl Record for Pending {
    fn keep_until_ms(&self) -> u64 {
        self.expires_at_ms
    }
}

/// Why a token is not accepted.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum ProofError {
    /// Not a token this server signed for redemption.
    #[error("not a proof this server issued")]
    Invalid,
    /// Signed by this server, but past its expiry.
    #[error("the proof has expired")]
    Expired,
    /// The signing failed (it cannot for HS256; kept so no path panics).
    #[error("the proof could not be signed")]
    Unsigned,
}

/// Signs the proof of `pending`, issued by `issuer` at `now_ms`.
pub fn sign(
    pending: &Pending,
    issuer: &str,
    now_ms: u64,
    keys: &Keys,
) -> Result<String, ProofError> {
    let claims = Claims {
        iss: issuer.into(),
        aud: AUDIENCE.into(),
        sub: pending.verification_id.clone(),
        dst: pending.destination_key.clone(),
        ctx: pending.context.clone(),
        iat: now_ms / 1000,
        exp: pending.expires_at_ms.div_ceil(1000),
    };
    jsonwebtoken::encode(
        &Header::new(Algorithm::HS256),
        &claims,
        &EncodingKey::from_secret(keys.proof_key()),
    )
    .map_err(|_| ProofError::Unsigned)
}

/// The claims of `token` if this server (`issuer`, `keys`) signed it and it has not expired at
/// `now_ms` (the server's clock, not the machine's, so tests can move time).
pub fn verify(token: &str, issuer: &str, now_ms: u64, keys: &Keys) -> Result<Claims, ProofError> {
    let mut validation = Validation::new(Algorithm::HS256);
    validation.validate_exp = false;
    validation.set_audience(&[AUDIENCE]);
    validation.set_issuer(&[issuer]);
    validation.set_required_spec_claims(&["exp", "aud", "iss", "sub"]);
    let claims = jsonwebtoken::decode::<Claims>(
        token,
        &DecodingKey::from_secret(keys.proof_key()),
        &validation,
    )
    .map_err(|_| ProofError::Invalid)?
    .claims;
    if now_ms >= claims.exp * 1000 {
        return Err(ProofError::Expired);
    }
    Ok(claims)
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: u64 = 1_800_000_000_000;

    fn keys(secret: &[u8]) -> Keys {
        Keys::new(secret, b"redeem-key-redeem-key-redeem-key").expect("keys")
    }

    fn pending() -> Pending {
        Pending {
            verification_id: "vrf_1".into(),
            destination: "+14155550300".into(),
            destination_key: "abc".into(),
            context: Some("order-42".into()),
            expires_at_ms: NOW + 300_000,
        }
    }

    #[test]
    fn a_proof_binds_the_verification_the_destination_and_the_context() {
        let keys = keys(b"0123456789abcdef0123456789abcdef");
        let token = sign(&pending(), "shop.example", NOW, &keys).expect("signed");
        assert!(
            !token.contains("+1415"),
            "the number itself is not in the token"
        );
        let claims = verify(&token, "shop.example", NOW + 1, &keys).expect("valid");
        assert_eq!(claims.sub, "vrf_1");
        assert_eq!(claims.dst, "abc");
        assert_eq!(claims.ctx.as_deref(), Some("order-42"));
        assert_eq!(claims.exp, (NOW + 300_000) / 1000);
    }

    #[test]
    fn another_key_another_issuer_a_change_or_time_void_it() {
        let keys_a = keys(b"0123456789abcdef0123456789abcdef");
        let keys_b = keys(b"fedcba9876543210fedcba9876543210");
        let token = sign(&pending(), "shop.example", NOW, &keys_a).expect("signed");
        assert_eq!(
            verify(&token, "shop.example", NOW, &keys_b),
            Err(ProofError::Invalid)
        );
        assert_eq!(
            verify(&token, "evil.example", NOW, &keys_a),
            Err(ProofError::Invalid)
        );
        let mut tampered = token.clone();
        tampered.insert(tampered.find('.').expect("a dot") + 5, 'x');
        assert_eq!(
            verify(&tampered, "shop.example", NOW, &keys_a),
            Err(ProofError::Invalid)
        );
        assert_eq!(
            verify("", "shop.example", NOW, &keys_a),
            Err(ProofError::Invalid)
        );
        assert_eq!(
            verify(&token, "shop.example", NOW + 300_000, &keys_a),
            Err(ProofError::Expired)
        );
    }

    #[test]
    fn an_unsigned_token_is_refused() {
        let keys = keys(b"0123456789abcdef0123456789abcdef");
        let token = sign(&pending(), "shop.example", NOW, &keys).expect("signed");
        let (_, rest) = token.split_once('.').expect("three parts");
        // {"alg":"none","typ":"JWT"}
        let forged = format!(
            "eyJhbGciOiJub25lIiwidHlwIjoiSldUIn0.{}",
            rest.rsplit_once('.').expect("sig").0
        );
        assert_eq!(
            verify(&format!("{forged}."), "shop.example", NOW, &keys),
            Err(ProofError::Invalid)
        );
    }
}
