//! The server's secrets and what is derived from them: the keyed hashes that stand for codes and
//! destinations in the store, the key that signs proofs, and the bearer key a store's server
//! presents to redeem a proof. Each use has its own subkey, so one never helps to forge another.

use hmac::{Hmac, Mac};
use sha2::Sha256;

type HmacSha256 = Hmac<Sha256>;

/// Fewest bytes a secret or a redeem key may have.
pub const MIN_KEY_BYTES: usize = 32;

/// Why a key was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum KeyError {
    /// Shorter than [`MIN_KEY_BYTES`] once trailing whitespace is trimmed.
    #[error(
        "{what} has {len} bytes; it needs at least {MIN_KEY_BYTES} (e.g. `openssl rand -hex 32`)"
    )]
    TooShort {
        /// Which key.
        what: &'static str,
        /// Its length.
        len: usize,
    },
    /// One byte repeated (all zeros, say): no secret at all.
    #[error("{what} is one byte repeated; make it with `openssl rand -hex 32`")]
    OneByte {
        /// Which key.
        what: &'static str,
    },
    /// The secret and the redeem key are the same: whoever redeems could forge proofs.
    #[error(
        "the secret and the redeem key are the same; each needs its own (`openssl rand -hex 32`)"
    )]
    Same,
    /// The OS random source failed.
    #[error("no random source: {0}")]
    NoRandom(String),
}

/// The server's secrets.
#[derive(Clone)]
pub struct Keys {
    code: Vec<u8>,
    destination: Vec<u8>,
    client: Vec<u8>,
    proof: Vec<u8>,
    redeem: Vec<u8>,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(…)")
    }
}

impl Keys {
    /// Keys from `secret` (for code hashes and proofs) and `redeem_key` (the bearer key of
    /// redemption), each trimmed of trailing whitespace as read from a file.
    pub fn new(secret: &[u8], redeem_key: &[u8]) -> Result<Self, KeyError> {
        let secret = trim_end(secret);
        let redeem = trim_end(redeem_key);
        for (what, key) in [("the secret", secret), ("the redeem key", redeem)] {
            if key.len() < MIN_KEY_BYTES {
                return Err(KeyError::TooShort {
                    what,
                    len: key.len(),
                });
            }
            if key.iter().all(|&b| b == key[0]) {
                return Err(KeyError::OneByte { what });
            }
        }
        if secret == redeem {
            return Err(KeyError::Same);
        }
        Ok(Self {
            code: mac(secret, &[b"code"]),
            destination: mac(secret, &[b"destination"]),
            client: mac(secret, &[b"client"]),
            proof: mac(secret, &[b"proof"]),
            redeem: redeem.to_vec(),
        })
    }

    /// The keyed hash that stands for `code` of verification `verification_id` in the store.
    pub fn code_mac(&self, verification_id: &str, code: &str) -> String {
        hex(&mac(
            &self.code,
            &[verification_id.as_bytes(), code.as_bytes()],
        ))
    }

    /// The keyed hash naming a canonical destination in the store and in proofs: stable across
    /// instances sharing the secret, meaningless without it.
    pub fn destination_key(&self, destination: &str) -> String {
        hex(&mac(&self.destination, &[destination.as_bytes()]))
    }

    /// The tag naming a client (its budget key: an address or an IPv6 /64) in the record of a
    /// destination it entered wrong codes for: 16 hex digits of a keyed hash, so the store links
    /// no address to a destination.
    pub fn client_tag(&self, client: &str) -> String {
        hex(&mac(&self.client, &[client.as_bytes()])[..8])
    }

    /// The HS256 key proofs are signed with.
    pub fn proof_key(&self) -> &[u8] {
        &self.proof
    }

    /// Whether `presented` is the redeem key, in time that does not depend on where they differ
    /// (both are hashed first, so not even on their lengths).
    pub fn is_redeem_key(&self, presented: &str) -> bool {
        let expected = mac(&self.proof, &[b"redeem", &self.redeem]);
        let given = mac(&self.proof, &[b"redeem", presented.as_bytes()]);
        crate::policy::verification::constant_time_eq(&expected, &given)
    }
}

fn trim_end(bytes: &[u8]) -> &[u8] {
    let end = bytes
        .iter()
        .rposition(|b| !b.is_ascii_whitespace())
        .map_or(0, |i| i + 1);
    &bytes[..end]
}

/// HMAC-SHA256 of the parts, each prefixed with its length so no two lists of parts collide.
fn mac(key: &[u8], parts: &[&[u8]]) -> Vec<u8> {
    // HMAC takes a key of any length, so this cannot fail.
    let mut mac = <HmacSha256 as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!());
    for part in parts {
        mac.update(&(part.len() as u64).to_be_bytes());
        mac.update(part);
    }
    mac.finalize().into_bytes().to_vec()
}

/// A fresh random key of [`MIN_KEY_BYTES`] bytes, in hex as a key file would hold it (raw bytes
/// could end in what [`Keys::new`] trims as whitespace): dev mode's stand-in for a missing key, so
/// codes and proofs of one run mean nothing to the next.
pub fn random_key() -> Result<String, KeyError> {
    let mut bytes = [0u8; MIN_KEY_BYTES];
    getrandom::fill(&mut bytes).map_err(|e| KeyError::NoRandom(e.to_string()))?;
    Ok(hex(&bytes))
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const SECRET: &[u8] = b"0123456789abcdef0123456789abcdef";
    const REDEEM: &[u8] = b"redeem-key-redeem-key-redeem-key";

    #[test]
    fn keys_shorter_than_32_bytes_are_refused_after_trimming() {
        let short = b"0123456789abcdef0123456789abcde\n\n";
        assert_eq!(
            Keys::new(short, REDEEM).err(),
            Some(KeyError::TooShort {
                what: "the secret",
                len: 31
            })
        );
        assert!(Keys::new(b"0123456789abcdef0123456789abcdef\n", REDEEM).is_ok());
    }

    #[test]
    fn a_key_of_one_byte_or_the_other_key_is_refused() {
        assert_eq!(
            Keys::new(&[0u8; 32], REDEEM).err(),
            Some(KeyError::OneByte { what: "the secret" })
        );
        assert_eq!(
            Keys::new(SECRET, &[b'k'; 40]).err(),
            Some(KeyError::OneByte {
                what: "the redeem key"
            })
        );
        let same = Keys::new(SECRET, b"0123456789abcdef0123456789abcdef\n").err();
        assert_eq!(same, Some(KeyError::Same), "equal once trimmed");
    }

    #[test]
    fn a_code_hash_depends_on_the_secret_the_verification_and_the_code() {
        let keys = Keys::new(SECRET, REDEEM).expect("keys");
        let other = Keys::new(b"fedcba9876543210fedcba9876543210", REDEEM).expect("keys");
        let mac = keys.code_mac("vrf_1", "123456");
        assert_eq!(mac.len(), 64);
        assert!(!mac.contains("123456"));
        assert_eq!(mac, keys.code_mac("vrf_1", "123456"));
        assert_ne!(mac, keys.code_mac("vrf_2", "123456"));
        assert_ne!(mac, keys.code_mac("vrf_1", "123457"));
        assert_ne!(mac, other.code_mac("vrf_1", "123456"));
        assert_ne!(
            keys.code_mac("vrf_1", "23456"),
            keys.code_mac("vrf_12", "3456")
        );
    }

    #[test]
    fn a_client_tag_is_short_keyed_and_names_no_address() {
        let keys = Keys::new(SECRET, REDEEM).expect("keys");
        let other = Keys::new(b"fedcba9876543210fedcba9876543210", REDEEM).expect("keys");
        let tag = keys.client_tag("b:client:192.0.2.7");
        assert_eq!(tag.len(), 16);
        assert!(!tag.contains("192"));
        assert_eq!(tag, keys.client_tag("b:client:192.0.2.7"));
        assert_ne!(tag, keys.client_tag("b:client:192.0.2.8"));
        assert_ne!(tag, other.client_tag("b:client:192.0.2.7"));
    }

    #[test]
    fn the_redeem_key_is_recognised_exactly() {
        let keys = Keys::new(SECRET, b"redeem-key-redeem-key-redeem-key\n").expect("keys");
        assert!(keys.is_redeem_key("redeem-key-redeem-key-redeem-key"));
        assert!(!keys.is_redeem_key("redeem-key-redeem-key-redeem-kez"));
        assert!(!keys.is_redeem_key(""));
    }

    #[test]
    fn random_keys_are_always_accepted() {
        // Raw bytes would end in whitespace about once in 40 keys: enough tries to see that.
        for _ in 0..2_000 {
            let (a, b) = (random_key().expect("random"), random_key().expect("random"));
            assert_ne!(a, b);
            assert!(Keys::new(a.as_bytes(), b.as_bytes()).is_ok());
        }
    }

    #[test]
    fn debug_output_shows_no_key() {
        let keys = Keys::new(SECRET, REDEEM).expect("keys");
        assert_eq!(format!("{keys:?}"), "Keys(…)");
    }
}
