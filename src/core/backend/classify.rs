//! Classifying a backend's answer with its step's `outcome`, in the documented order — rules,
//! then a 2xx answer's status, then its error code, then the HTTP status, then the defaults —
//! and reading what the step's `read` names from it. Strict by design: an answer nothing
//! classifies is an error, never `verified`; a `verified` without the token the step promises is
//! an error; a value of the wrong type where a number is read makes the answer unrecognised.

use super::adapter::{Adapter, Step, Test, Verdict};
use super::pointer::Pointer;
use super::{
    http_date, retry_after, CheckOutcome, CheckRequest, Failure, HttpAnswer, Request, SendOutcome,
    SendRequest, Sent, CODE_LENGTHS, MAX_EXPIRES_IN_S,
};
use crate::core::json::Json;
use crate::core::text;

impl Adapter {
    /// Classifies the answer to `send` (`Err`: none arrived).
    pub fn classify_send(
        &self,
        send: &SendRequest,
        reply: Result<HttpAnswer<'_>, Failure>,
    ) -> SendOutcome {
        let answer = match reply {
            Ok(answer) => answer,
            Err(failure) => return SendOutcome::Failed(failure),
        };
        let step = self.step_for(Request::Send, send.verification_id.is_some());
        let body = Json::parse(answer.body).ok();
        let wait = || retry_after(answer, body_wait(step, body.as_ref()));
        match verdict(step, Request::Send, &answer, body.as_ref()) {
            Verdict::Sent => match sent(step, &answer, body.as_ref(), send) {
                Some(sent) => SendOutcome::Sent(sent),
                None => SendOutcome::Failed(Failure::Unrecognised(answer.status)),
            },
            Verdict::Throttled => SendOutcome::RateLimited {
                retry_after_s: wait(),
                sends_exhausted: false,
            },
            Verdict::SendLimit => SendOutcome::RateLimited {
                retry_after_s: wait(),
                sends_exhausted: true,
            },
            Verdict::InvalidDestination => {
                SendOutcome::Failed(Failure::InvalidDestination(answer.status))
            }
            Verdict::Blocked => SendOutcome::Failed(Failure::Refused(answer.status)),
            _ => SendOutcome::Failed(failure(answer.status)),
        }
    }

    /// Classifies the answer to `check` (`Err`: none arrived).
    pub fn classify_check(
        &self,
        _check: &CheckRequest,
        reply: Result<HttpAnswer<'_>, Failure>,
    ) -> CheckOutcome {
        let answer = match reply {
            Ok(answer) => answer,
            Err(failure) => return CheckOutcome::Failed(failure),
        };
        let step = &self.check;
        let body = Json::parse(answer.body).ok();
        let read = |pointer: &Option<Pointer>| {
            let value = pointer.as_ref().zip(body.as_ref())?;
            value.0.get(value.1)
        };
        let attempts_remaining = read(&step.read.attempts_remaining)
            .and_then(Json::as_u64)
            .and_then(|n| u32::try_from(n).ok());
        let stated_wait = answer.retry_after.is_some() || body_wait(step, body.as_ref()).is_some();
        let wait = || retry_after(answer, body_wait(step, body.as_ref()));
        match verdict(step, Request::Check, &answer, body.as_ref()) {
            Verdict::Verified => match (&step.read.token, read(&step.read.token)) {
                (None, _) => CheckOutcome::Verified { token: None },
                (Some(_), Some(Json::String(token))) if !token.is_empty() => {
                    CheckOutcome::Verified {
                        token: Some(token.clone()),
                    }
                }
                (Some(_), _) => CheckOutcome::Failed(Failure::Unrecognised(answer.status)),
            },
            Verdict::Invalid => CheckOutcome::InvalidCode { attempts_remaining },
            Verdict::InvalidOrExpired => CheckOutcome::InvalidOrExpired { attempts_remaining },
            Verdict::Expired => CheckOutcome::Expired,
            Verdict::Locked => CheckOutcome::Locked {
                retry_after_s: stated_wait.then(wait),
            },
            Verdict::Throttled => CheckOutcome::RateLimited {
                retry_after_s: wait(),
            },
            Verdict::Blocked => CheckOutcome::Failed(Failure::Refused(answer.status)),
            _ => CheckOutcome::Failed(failure(answer.status)),
        }
    }
}

/// What an answer that no verdict fits means: the server failed, or (2xx) said something no one
/// described.
fn failure(status: u16) -> Failure {
    if (200..300).contains(&status) {
        Failure::Unrecognised(status)
    } else {
        Failure::Server(status)
    }
}

/// A value as rules, statuses and error codes compare it: a string as it is, a number or a
/// boolean as its JSON text; anything else has no text.
fn text(value: &Json) -> Option<String> {
    match value {
        Json::String(s) => Some(s.clone()),
        Json::Number(_) | Json::Bool(_) => Some(value.to_string()),
        _ => None,
    }
}

/// The verdict `step`'s `outcome` gives the answer, first that decides winning.
fn verdict(step: &Step, request: Request, answer: &HttpAnswer<'_>, body: Option<&Json>) -> Verdict {
    let outcome = &step.outcome;
    let at = |pointer: &Pointer| body.and_then(|b| pointer.get(b)).and_then(text);
    let lookup = |table: &[(String, Verdict)], key: &str| {
        table
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, verdict)| *verdict)
    };
    for rule in &outcome.rules {
        let passes = at(&rule.pointer).is_some_and(|value| match &rule.test {
            Test::Equals(expected) => value == *expected,
            Test::Contains(part) => text::contains(&value, part),
        });
        if passes {
            return rule.verdict;
        }
    }
    let ok = (200..300).contains(&answer.status);
    if let Some(found) = outcome
        .status
        .as_ref()
        .filter(|_| ok)
        .and_then(at)
        .and_then(|status| lookup(&outcome.statuses, &status))
    {
        return found;
    }
    if let Some(found) = outcome
        .codes
        .iter()
        .find_map(at)
        .and_then(|code| lookup(&outcome.errors, &code))
    {
        return found;
    }
    if let Some((_, found)) = outcome
        .http
        .iter()
        .find(|(status, _)| *status == answer.status)
    {
        return *found;
    }
    match (ok, request) {
        (true, Request::Send) => Verdict::Sent,
        // A check verifies by default only when it carries the promised token, and only where
        // no status field speaks: a status that is there but not listed is not an approval.
        (true, Request::Check)
            if outcome.status.is_none()
                && step
                    .read
                    .token
                    .as_ref()
                    .and_then(at)
                    .is_some_and(|token| !token.is_empty()) =>
        {
            Verdict::Verified
        }
        _ => Verdict::Error,
    }
}

/// The wait the body repeats, from the first `retry_after` pointer that holds a whole number.
fn body_wait(step: &Step, body: Option<&Json>) -> Option<u64> {
    let body = body?;
    step.retry_after
        .iter()
        .find_map(|pointer| pointer.get(body).and_then(Json::as_u64))
}

/// A send answer's numbers: `None` when a value the step reads is there but unusable (the rest
/// of such an answer is not trusted either).
fn sent(
    step: &Step,
    answer: &HttpAnswer<'_>,
    body: Option<&Json>,
    send: &SendRequest,
) -> Option<Sent> {
    let read = &step.read;
    let at = |pointer: &Option<Pointer>| -> Option<Option<&Json>> {
        match pointer {
            None => Some(None),
            Some(pointer) => Some(body.and_then(|b| pointer.get(b)).filter(|v| !v.is_null())),
        }
    };
    // Present but not a whole number that fits: refused.
    let number = |pointer: &Option<Pointer>| -> Option<Option<u64>> {
        match at(pointer)? {
            None => Some(None),
            Some(value) => value.as_u64().map(Some),
        }
    };
    let verification_id = match (&read.verification_id, at(&read.verification_id)?) {
        (None, _) => send.destination.clone().unwrap_or_default(),
        (Some(_), Some(value)) => text(value).filter(|id| !id.is_empty())?,
        (Some(_), None) => return None,
    };
    let expires_at = match at(&read.expires_at)? {
        None => None,
        Some(Json::String(date)) => Some(http_date::parse(date)?),
        Some(value) => Some(value.as_u64()?),
    };
    let now_s = answer
        .date
        .and_then(http_date::parse)
        .unwrap_or(answer.received_at_ms / 1000);
    let expires_in = number(&read.expires_in)?.or(expires_at.map(|at| at.saturating_sub(now_s)));
    if expires_in.is_some_and(|s| !(1..=MAX_EXPIRES_IN_S).contains(&s)) {
        return None;
    }
    let code_length = match number(&read.code_length)? {
        None => None,
        Some(n) => Some(u8::try_from(n).ok().filter(|n| CODE_LENGTHS.contains(n))?),
    };
    let sends_remaining = match number(&read.sends_remaining)? {
        None => None,
        Some(n) => Some(u32::try_from(n).ok()?),
    };
    let destination_hint = match at(&read.destination_hint)? {
        None => None,
        Some(value) => Some(value.as_str()?.to_string()),
    };
    let kept = step
        .keep
        .iter()
        .filter_map(|(name, pointer)| {
            let value = body.and_then(|b| pointer.get(b))?;
            Some((name.clone(), value.clone()))
        })
        .collect();
    Some(Sent {
        verification_id,
        expires_in,
        resend_in: number(&read.resend_in)?,
        sends_remaining,
        code_length,
        destination_hint,
        kept,
    })
}
