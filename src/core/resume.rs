//! What survives a reload of the checkout: the verification, its deadline and its throttle, so a
//! reload neither resets the cooldown shown nor loses the code on its way. The shell keeps it in
//! `sessionStorage` (this tab only); the code itself is never part of it.

use super::json::Json;
use super::resend::Throttle;

/// A verification saved for a reload.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Resume {
    /// Which destination and channel it was for ([`fingerprint`]), so a widget mounted for
    /// another number does not pick it up.
    pub owner: String,
    /// The verification the server knows; empty when only a wait is kept (the first send was
    /// refused).
    pub verification_id: String,
    /// Digits in its code.
    pub code_length: u8,
    /// Masked destination, when the server gave one.
    pub destination_hint: Option<String>,
    /// When the code expires (ms since the epoch).
    pub expires_at_ms: u64,
    /// Sends made, left, and the earliest next one.
    pub throttle: Throttle,
    /// Too many wrong codes were entered.
    pub locked: bool,
    /// When it was saved, to notice a clock set back in between.
    pub saved_at_ms: u64,
}

impl Resume {
    /// The record as stored.
    pub fn to_json(&self) -> Json {
        Json::object([
            ("owner", self.owner.as_str().into()),
            ("verification_id", self.verification_id.as_str().into()),
            ("code_length", self.code_length.into()),
            ("destination_hint", self.destination_hint.as_deref().into()),
            ("expires_at", self.expires_at_ms.into()),
            ("sends", self.throttle.sends.into()),
            ("sends_remaining", self.throttle.remaining.into()),
            ("resend_at", self.throttle.allowed_at_ms.into()),
            ("locked", self.locked.into()),
            ("saved_at", self.saved_at_ms.into()),
        ])
    }

    /// Reads a stored record; `None` when anything is missing or malformed (a record from an
    /// older version, or edited by hand, is dropped rather than half-trusted).
    pub fn from_json(text: &str) -> Option<Self> {
        let json = Json::parse(text).ok()?;
        let text = |key| json.get(key).and_then(Json::as_str).map(str::to_string);
        let number = |key| json.get(key).and_then(Json::as_u64);
        Some(Self {
            owner: text("owner")?,
            verification_id: text("verification_id")?,
            code_length: u8::try_from(number("code_length")?).ok()?,
            destination_hint: text("destination_hint"),
            expires_at_ms: number("expires_at")?,
            throttle: Throttle {
                sends: u32::try_from(number("sends")?).ok()?,
                remaining: u32::try_from(number("sends_remaining")?).ok()?,
                allowed_at_ms: number("resend_at")?,
            },
            locked: json.get("locked").and_then(Json::as_bool)?,
            saved_at_ms: number("saved_at")?,
        })
    }
}

/// A short, stable tag for a destination and channel (FNV-1a): tells records apart without
/// putting the phone number or address in storage.
pub fn fingerprint(destination: Option<&str>, channel: &str) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for byte in destination
        .unwrap_or_default()
        .bytes()
        .chain([0])
        .chain(channel.bytes())
    {
        hash = (hash ^ u64::from(byte)).wrapping_mul(0x0100_0000_01b3);
    }
    // Decimal: the JSON writer already formats numbers, hex would add a formatter.
    hash.to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn saved() -> Resume {
        Resume {
            owner: fingerprint(Some("+14155550123"), "sms"),
            verification_id: "vrf_1".into(),
            code_length: 6,
            destination_hint: Some("+1 ••• 0123".into()),
            expires_at_ms: 1_700_000_600_000,
            throttle: Throttle {
                sends: 2,
                remaining: 3,
                allowed_at_ms: 1_700_000_060_000,
            },
            locked: false,
            saved_at_ms: 1_700_000_001_000,
        }
    }

    #[test]
    fn round_trips_without_the_code_or_the_destination() {
        let text = saved().to_json().to_string();
        assert_eq!(Resume::from_json(&text), Some(saved()));
        assert!(!text.contains("4155550123"), "{text}");
        assert!(!text.contains("code\""), "{text}");
    }

    #[test]
    fn a_damaged_record_is_dropped() {
        let good = saved().to_json().to_string();
        for bad in [
            "",
            "null",
            "{}",
            &good.replace("\"sends\":2", "\"sends\":-2"),
            &good.replace("\"vrf_1\"", "1"),
            &good.replace("\"locked\":false", "\"locked\":\"no\""),
            &good[..good.len() - 1],
        ] {
            assert_eq!(Resume::from_json(bad), None, "{bad}");
        }
    }

    #[test]
    fn fingerprints_tell_destinations_and_channels_apart() {
        let a = fingerprint(Some("+14155550123"), "sms");
        assert_eq!(a, fingerprint(Some("+14155550123"), "sms"));
        assert_ne!(a, fingerprint(Some("+14155550124"), "sms"));
        assert_ne!(a, fingerprint(Some("+14155550123"), "email"));
        assert_ne!(fingerprint(None, "sms"), fingerprint(Some(""), "xsms"));
    }
}
