//! The widget's own client of the reference contract: the bodies it sends and the classification
//! of the answers, written out. The adapter's `reference` preset says the same as data, and
//! `tests/presets/reference.rs` holds both to the same recorded answers; the widget speaks
//! through this client until the package has room for the whole adapter.

use super::reference::{problem, APPROVED};
use super::{
    retry_after, CheckOutcome, CheckRequest, Failure, HttpAnswer, SendOutcome, SendRequest, Sent,
    CODE_LENGTHS, MAX_EXPIRES_IN_S,
};
use crate::core::json::Json;

/// The body of a send: `{"destination"?, "channel", "verification_id"?}`.
pub fn send_body(request: &SendRequest) -> Json {
    let mut pairs = Vec::new();
    if let Some(destination) = &request.destination {
        pairs.push(("destination".to_string(), destination.as_str().into()));
    }
    pairs.push(("channel".to_string(), request.channel.as_str().into()));
    if let Some(id) = &request.verification_id {
        pairs.push(("verification_id".to_string(), id.as_str().into()));
    }
    Json::Object(pairs)
}

/// The body of a check: `{"verification_id", "code"}`.
pub fn check_body(request: &CheckRequest) -> Json {
    Json::object([
        ("verification_id", request.verification_id.as_str().into()),
        ("code", request.code.as_str().into()),
    ])
}

/// A member as text: a string as it is, a number or a boolean as its JSON.
fn text(body: Option<&Json>, key: &str) -> Option<String> {
    match body?.get(key)? {
        Json::String(s) => Some(s.clone()),
        value @ (Json::Number(_) | Json::Bool(_)) => Some(value.to_string()),
        _ => None,
    }
}

/// What a status outside 2xx means when the body says nothing the contract names.
fn failure(status: u16) -> Failure {
    if (200..300).contains(&status) {
        Failure::Unrecognised(status)
    } else {
        Failure::Server(status)
    }
}

/// Classifies the answer to a send (`Err`: none arrived).
pub fn classify_send(reply: Result<HttpAnswer<'_>, Failure>) -> SendOutcome {
    let answer = match reply {
        Ok(answer) => answer,
        Err(failure) => return SendOutcome::Failed(failure),
    };
    let body = Json::parse(answer.body).ok();
    let wait = || {
        retry_after(
            answer,
            body.as_ref().and_then(|b| b.get("retry_after")?.as_u64()),
        )
    };
    match text(body.as_ref(), "type").as_deref() {
        Some(problem::RATE_LIMITED) => SendOutcome::RateLimited {
            retry_after_s: wait(),
            sends_exhausted: false,
        },
        Some(problem::SEND_LIMIT) => SendOutcome::RateLimited {
            retry_after_s: wait(),
            sends_exhausted: true,
        },
        Some(problem::INVALID_DESTINATION) => SendOutcome::Failed(Failure::InvalidDestination),
        _ if answer.status == 429 => SendOutcome::RateLimited {
            retry_after_s: wait(),
            sends_exhausted: false,
        },
        _ if (200..300).contains(&answer.status) => match body.as_ref().and_then(sent) {
            Some(sent) => SendOutcome::Sent(sent),
            None => SendOutcome::Failed(Failure::Unrecognised(answer.status)),
        },
        _ => SendOutcome::Failed(failure(answer.status)),
    }
}

/// A send answer's fields; `None` when one is there but unusable, or the id is missing.
fn sent(body: &Json) -> Option<Sent> {
    // Present but not a whole number that fits: refused.
    let number = |key| match body.get(key) {
        None | Some(Json::Null) => Some(None),
        Some(value) => value.as_u64().map(Some),
    };
    let verification_id = text(Some(body), "verification_id").filter(|id| !id.is_empty())?;
    let expires_in = number("expires_in")?;
    if expires_in.is_some_and(|s| !(1..=MAX_EXPIRES_IN_S).contains(&s)) {
        return None;
    }
    let code_length = match number("code_length")? {
        None => None,
        Some(n) => Some(u8::try_from(n).ok().filter(|n| CODE_LENGTHS.contains(n))?),
    };
    let sends_remaining = match number("sends_remaining")? {
        None => None,
        Some(n) => Some(u32::try_from(n).ok()?),
    };
    let destination_hint = match body.get("destination_hint") {
        None | Some(Json::Null) => None,
        Some(value) => Some(value.as_str()?.to_string()),
    };
    Some(Sent {
        verification_id,
        expires_in,
        resend_in: number("resend_in")?,
        sends_remaining,
        code_length,
        destination_hint,
        kept: Vec::new(),
    })
}

/// Classifies the answer to a check (`Err`: none arrived).
pub fn classify_check(reply: Result<HttpAnswer<'_>, Failure>) -> CheckOutcome {
    let answer = match reply {
        Ok(answer) => answer,
        Err(failure) => return CheckOutcome::Failed(failure),
    };
    let body = Json::parse(answer.body).ok();
    let body = body.as_ref();
    let in_body = body.and_then(|b| b.get("retry_after")?.as_u64());
    let attempts_remaining = body
        .and_then(|b| b.get("attempts_remaining")?.as_u64())
        .and_then(|n| u32::try_from(n).ok());
    let ok = (200..300).contains(&answer.status);
    if ok && text(body, "status").as_deref() == Some(APPROVED) {
        return match body.and_then(|b| b.get("token")) {
            Some(Json::String(token)) if !token.is_empty() => CheckOutcome::Verified {
                token: Some(token.clone()),
            },
            _ => CheckOutcome::Failed(Failure::Unrecognised(answer.status)),
        };
    }
    // Not an approval: by the problem type the contract names, else by the status.
    let by_type = match text(body, "type").as_deref() {
        Some(problem::INVALID_CODE) => Some(Refusal::Invalid),
        Some(problem::EXPIRED) => Some(Refusal::Expired),
        Some(problem::TOO_MANY_ATTEMPTS) => Some(Refusal::Locked),
        Some(problem::RATE_LIMITED) => Some(Refusal::Throttled),
        _ => None,
    };
    let by_status = match answer.status {
        422 => Some(Refusal::Invalid),
        410 => Some(Refusal::Expired),
        429 => Some(Refusal::Throttled),
        _ => None,
    };
    match by_type.or(by_status) {
        Some(Refusal::Invalid) => CheckOutcome::InvalidCode { attempts_remaining },
        Some(Refusal::Expired) => CheckOutcome::Expired,
        Some(Refusal::Locked) => CheckOutcome::Locked {
            retry_after_s: (answer.retry_after.is_some() || in_body.is_some())
                .then(|| retry_after(answer, in_body)),
        },
        Some(Refusal::Throttled) => CheckOutcome::RateLimited {
            retry_after_s: retry_after(answer, in_body),
        },
        None => CheckOutcome::Failed(failure(answer.status)),
    }
}

/// Why a check answer is not an approval.
enum Refusal {
    Invalid,
    Expired,
    Locked,
    Throttled,
}
