//! The one place refusals become answers: [`ApiError`] to an RFC 9457 problem document with the
//! status, `type`, `Retry-After` and `attempts_remaining` the reference contract names. Titles
//! are the server's own words; nothing the client sent is repeated.

use axum::extract::rejection::JsonRejection;
use axum::http::header::{CONTENT_TYPE, RETRY_AFTER, WWW_AUTHENTICATE};
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use checkout_verify::core::backend::reference::{problem, Problem};

use crate::delivery::RETRY_AFTER_S;
use crate::error::ApiError;

/// Problem `type` of a page on an origin not allowed to call the API.
pub const ORIGIN_NOT_ALLOWED: &str = "urn:checkout-verify:origin-not-allowed";
/// Problem `type` of a redemption without the right key.
pub const UNAUTHORIZED: &str = "urn:checkout-verify:unauthorized";
/// Problem `type` of a token this server did not issue.
pub const INVALID_TOKEN: &str = "urn:checkout-verify:invalid-token";
/// Problem `type` of a proof already redeemed or expired.
pub const ALREADY_REDEEMED: &str = "urn:checkout-verify:already-redeemed";
/// Problem `type` of a send by a channel no gateway delivers.
pub const CHANNEL_UNAVAILABLE: &str = "urn:checkout-verify:channel-unavailable";
/// Problem `type` of a send whose gateway did not take the message.
pub const NOT_DELIVERED: &str = "urn:checkout-verify:not-delivered";
/// Problem `type` of a body over the route's limit.
pub const TOO_LARGE: &str = "urn:checkout-verify:too-large";

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let (status, kind, title) = match &self {
            Self::BadRequest(detail) => (
                StatusCode::BAD_REQUEST,
                problem::BAD_REQUEST,
                format!("Bad request: {detail}"),
            ),
            Self::TooLarge => (
                StatusCode::PAYLOAD_TOO_LARGE,
                TOO_LARGE,
                "The request body is too large".into(),
            ),
            Self::InvalidDestination => (
                StatusCode::UNPROCESSABLE_ENTITY,
                problem::INVALID_DESTINATION,
                "That phone number or address cannot receive codes".into(),
            ),
            Self::OriginNotAllowed => (
                StatusCode::FORBIDDEN,
                ORIGIN_NOT_ALLOWED,
                "Requests from this page's origin are not allowed".into(),
            ),
            Self::Throttled { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                problem::RATE_LIMITED,
                "Too many codes requested; please wait".into(),
            ),
            Self::TooManyReports { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                problem::RATE_LIMITED,
                "Too many clone reports from this client".into(),
            ),
            Self::Cooldown { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                problem::RATE_LIMITED,
                "Please wait before requesting another code".into(),
            ),
            Self::SendLimit { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                problem::SEND_LIMIT,
                "No more codes can be sent for now".into(),
            ),
            Self::WrongCode { .. } => (
                StatusCode::UNPROCESSABLE_ENTITY,
                problem::INVALID_CODE,
                "That code is not right".into(),
            ),
            Self::GuessesThrottled { .. } => (
                StatusCode::TOO_MANY_REQUESTS,
                problem::RATE_LIMITED,
                "Too many wrong codes lately; please wait, the code stays valid".into(),
            ),
            Self::TooManyAttempts { .. } => (
                StatusCode::GONE,
                problem::TOO_MANY_ATTEMPTS,
                "Too many wrong codes; request a new code".into(),
            ),
            Self::Expired => (
                StatusCode::GONE,
                problem::EXPIRED,
                "This code has expired".into(),
            ),
            Self::Unauthorized => (
                StatusCode::UNAUTHORIZED,
                UNAUTHORIZED,
                "A valid redeem key is required".into(),
            ),
            Self::InvalidToken => (
                StatusCode::BAD_REQUEST,
                INVALID_TOKEN,
                "Not a proof this server issued".into(),
            ),
            Self::AlreadyRedeemed => (
                StatusCode::GONE,
                ALREADY_REDEEMED,
                "This proof was already redeemed or has expired".into(),
            ),
            Self::ChannelUnavailable(channel) => (
                StatusCode::UNPROCESSABLE_ENTITY,
                CHANNEL_UNAVAILABLE,
                format!("Codes cannot be sent by {channel} here"),
            ),
            Self::NotDelivered(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                NOT_DELIVERED,
                "The code could not be sent; try again in a moment".into(),
            ),
            Self::Unavailable(_) => (
                StatusCode::SERVICE_UNAVAILABLE,
                "about:blank",
                "Try again in a moment".into(),
            ),
        };
        let (attempts_remaining, retry_after) = match self {
            Self::WrongCode { attempts_left } => (Some(attempts_left), None),
            Self::Throttled { retry_after_s }
            | Self::TooManyReports { retry_after_s }
            | Self::Cooldown { retry_after_s }
            | Self::SendLimit { retry_after_s }
            | Self::GuessesThrottled { retry_after_s } => (None, Some(retry_after_s)),
            Self::TooManyAttempts { retry_after_s } => (None, retry_after_s),
            Self::NotDelivered(_) => (None, Some(RETRY_AFTER_S)),
            _ => (None, None),
        };
        let body = Problem {
            kind: kind.into(),
            title,
            status: status.as_u16(),
            attempts_remaining,
            retry_after,
        };
        let json = serde_json::to_string(&body).unwrap_or_default();
        let mut response = (status, json).into_response();
        let headers = response.headers_mut();
        headers.insert(
            CONTENT_TYPE,
            HeaderValue::from_static("application/problem+json"),
        );
        if let Some(seconds) = retry_after {
            headers.insert(RETRY_AFTER, HeaderValue::from(seconds));
        }
        if status == StatusCode::UNAUTHORIZED {
            headers.insert(WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        response
    }
}

/// A body the route could not read, in the server's words: `fields` describes what the route
/// expects. Serde's own messages would quote the client's input, so they are never passed on;
/// only a missing field, whose name is the route's own, is named.
pub fn unreadable(rejection: &JsonRejection, fields: &'static str, known: &[&str]) -> ApiError {
    match rejection {
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::BadRequest("Content-Type must be application/json".into())
        }
        JsonRejection::BytesRejection(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::TooLarge
        }
        JsonRejection::JsonDataError(e) => {
            let text = e.body_text();
            let missing = known
                .iter()
                .find(|field| text.contains(&format!("missing field `{field}`")));
            match missing {
                Some(field) => ApiError::BadRequest(format!("missing field {field}")),
                None => ApiError::BadRequest(format!("expected {fields}")),
            }
        }
        _ => ApiError::BadRequest(format!("expected a JSON body {fields}")),
    }
}
