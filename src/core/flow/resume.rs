//! What survives a reload of the checkout: the verification, its deadline and its throttle, so a
//! reload neither resets the cooldown shown nor loses the code on its way. The shell keeps it in
//! `sessionStorage` (this tab only); the code itself is never part of it.

use super::deadlines::{Deadline, Deadlines};
use super::throttle::Throttle;
use super::{Flow, Phase};
use crate::core::backend::{CODE_LENGTHS, MAX_EXPIRES_IN_S, MAX_WAIT_S};
use crate::core::json::Json;
use crate::core::messages::{Alert, Status};

/// The furthest ahead of its save a record's deadlines can be.
const MAX_AHEAD_MS: u64 = (if MAX_EXPIRES_IN_S > MAX_WAIT_S {
    MAX_EXPIRES_IN_S
} else {
    MAX_WAIT_S
}) * 1000;

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
    /// The channel the last code went by (the shopper may have chosen another than the config's).
    pub channel: String,
    /// When the code expires (ms since the epoch).
    pub expires_at_ms: u64,
    /// Codes sent and still allowed.
    pub throttle: Throttle,
    /// The earliest time another code may be asked for (ms since the epoch).
    pub resend_at_ms: u64,
    /// Too many wrong codes were entered.
    pub locked: bool,
    /// When it was saved, to notice a clock set back in between.
    pub saved_at_ms: u64,
}

impl Resume {
    /// The record as stored: a JSON array in a fixed order (`[2, owner, verification_id,
    /// code_length, destination_hint, channel, expires_at, sends, sends_remaining, resend_at,
    /// locked, saved_at]`), the leading 2 being the format's version. Positions instead of keys keep
    /// the code in the package small.
    pub fn to_json(&self) -> Json {
        Json::Array(vec![
            FORMAT.into(),
            self.owner.as_str().into(),
            self.verification_id.as_str().into(),
            self.code_length.into(),
            self.destination_hint.as_deref().into(),
            self.channel.as_str().into(),
            self.expires_at_ms.into(),
            self.throttle.sends.into(),
            self.throttle.remaining.into(),
            self.resend_at_ms.into(),
            self.locked.into(),
            self.saved_at_ms.into(),
        ])
    }

    /// Reads a stored record; `None` when anything is missing or malformed (a record from another
    /// version, or edited by hand, is dropped rather than half-trusted).
    pub fn from_json(text: &str) -> Option<Self> {
        let json = Json::parse(text).ok()?;
        let [format, owner, id, length, hint, channel, expires, sends, remaining, resend, locked, saved] =
            json.as_array()?
        else {
            return None;
        };
        let text = |value: &Json| value.as_str().map(str::to_string);
        let small = |value: &Json| value.as_u64().and_then(|n| u32::try_from(n).ok());
        // Deadlines further from the save than any the widget sets are not its own.
        let saved_at_ms = saved.as_u64()?;
        let near = |value: &Json| {
            value
                .as_u64()
                .filter(|t| t.saturating_sub(saved_at_ms) <= MAX_AHEAD_MS)
        };
        (format.as_u64() == Some(FORMAT)).then_some(())?;
        Some(Self {
            owner: text(owner)?,
            verification_id: text(id)?,
            code_length: small(length)
                .and_then(|n| u8::try_from(n).ok())
                .filter(|n| CODE_LENGTHS.contains(n))?,
            destination_hint: text(hint),
            channel: text(channel).filter(|c| !c.is_empty())?,
            expires_at_ms: near(expires)?,
            throttle: Throttle {
                sends: small(sends)?,
                remaining: small(remaining)?,
            },
            resend_at_ms: near(resend)?,
            locked: locked.as_bool()?,
            saved_at_ms,
        })
    }
}

/// The version of the stored record's layout.
const FORMAT: u64 = 2;

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

impl Flow {
    /// Which destination and channel this flow verifies, as the reload record names them.
    fn owner(&self) -> String {
        fingerprint(self.config.destination.as_deref(), &self.config.channel)
    }

    /// What must survive a reload of the checkout: the verification, its deadline and its
    /// throttle, never the code. `None` when there is nothing to keep (nothing sent and no wait,
    /// or done).
    pub fn resume_point(&self) -> Option<Resume> {
        let seen_ms = self.deadlines.seen_ms();
        let keep = self.phase != Phase::Verified
            && (self.has_sent() || !self.deadlines.passed(Deadline::Resend, seen_ms));
        keep.then(|| Resume {
            owner: self.owner(),
            verification_id: self.verification_id.clone().unwrap_or_default(),
            code_length: self.code_length,
            destination_hint: self.destination_hint.clone(),
            channel: self.channel.clone(),
            expires_at_ms: if self.has_sent() {
                self.deadlines.at(Deadline::Expiry)
            } else {
                0
            },
            throttle: self.throttle,
            resend_at_ms: self.deadlines.at(Deadline::Resend),
            locked: self.phase == Phase::Locked,
            saved_at_ms: seen_ms,
        })
    }

    /// Takes `saved` in at `now_ms` ([`Input::Resume`](super::Input::Resume)).
    pub(super) fn resume(&mut self, saved: Resume, now_ms: u64) {
        let mut deadlines =
            Deadlines::restored(saved.expires_at_ms, saved.resend_at_ms, saved.saved_at_ms);
        deadlines.observe(now_ms);
        let matters = !deadlines.passed(Deadline::Expiry, now_ms)
            || !deadlines.passed(Deadline::Resend, now_ms);
        if self.phase != Phase::Idle || !matters || saved.owner != self.owner() {
            return;
        }
        self.deadlines = deadlines;
        self.throttle = saved.throttle;
        if saved.verification_id.is_empty() {
            // Only a wait was running (the first send was refused): it alone carries over.
            return;
        }
        self.code_length = saved.code_length;
        self.verification_id = Some(saved.verification_id);
        // Only a channel this page offers is taken back from storage.
        if saved.channel == self.config.channel || self.config.channels.contains(&saved.channel) {
            self.channel = saved.channel;
        }
        (self.phase, self.status, self.alert) = if saved.locked {
            (Phase::Locked, None, Some(Alert::Locked))
        } else if deadlines.passed(Deadline::Expiry, now_ms) {
            (Phase::Expired, None, Some(Alert::Expired))
        } else {
            let sent = Status::Sent {
                destination_hint: saved.destination_hint.clone(),
                channel: self.channel.clone(),
            };
            (Phase::AwaitingCode, Some(sent), None)
        };
        self.destination_hint = saved.destination_hint;
        self.pass_milestones(now_ms);
    }
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
            channel: "voice".into(),
            expires_at_ms: 1_700_000_600_000,
            throttle: Throttle {
                sends: 2,
                remaining: 3,
            },
            resend_at_ms: 1_700_000_060_000,
            locked: false,
            saved_at_ms: 1_700_000_001_000,
        }
    }

    #[test]
    fn round_trips_without_the_code_or_the_destination() {
        let text = saved().to_json().to_string();
        assert_eq!(Resume::from_json(&text), Some(saved()));
        assert!(!text.contains("4155550123"), "{text}");
    }

    #[test]
    fn a_damaged_record_is_dropped() {
        let good = saved().to_json().to_string();
        for bad in [
            "",
            "null",
            "{}",
            "[]",
            &good.replacen("[2,", "[1,", 1),
            &good.replace("\"voice\"", "\"\""),
            &good.replace(",2,3,", ",-2,3,"),
            &good.replace("\"vrf_1\"", "1"),
            &good.replace("false", "\"no\""),
            &good.replace(",6,", ",0,"),
            &good.replace("1700000600000", "18446744073709551615"),
            &good[..good.len() - 1],
        ] {
            assert_ne!(bad, good);
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
