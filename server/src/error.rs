//! Every way a request can be refused, in one enum. Each is rendered into an RFC 9457 problem
//! document in one place, [`crate::http::problem`]; no message repeats what the client sent.

use crate::store::StoreError;

/// Why a request was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// The body is not the JSON the route expects; names the field (never its value).
    #[error("bad request: {0}")]
    BadRequest(String),
    /// The body is larger than a request of this route can be.
    #[error("the request body is too large")]
    TooLarge,
    /// The destination cannot receive codes.
    #[error("that destination cannot receive codes")]
    InvalidDestination,
    /// A browser page on an origin not in `--allow-origin` (or a browser at all, for redemption).
    #[error("requests from this origin are not allowed")]
    OriginNotAllowed,
    /// Too many sends from this client, or from everyone: wait.
    #[error("too many codes requested; wait {retry_after_s} s")]
    Throttled {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Too many clone reports from this client: wait.
    #[error("too many clone reports; wait {retry_after_s} s")]
    TooManyReports {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Too soon after the last code for this verification: wait.
    #[error("wait {retry_after_s} s before another code")]
    Cooldown {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// No more codes for this verification or destination for now.
    #[error("no more codes for now; wait {retry_after_s} s")]
    SendLimit {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// The code is wrong.
    #[error("wrong code; {attempts_left} tries left")]
    WrongCode {
        /// Tries left.
        attempts_left: u32,
    },
    /// Many wrong codes in a row for this destination, from all clients: no code for it is
    /// checked for a while; the code stays valid.
    #[error("too many wrong codes for this destination lately; wait {retry_after_s} s")]
    GuessesThrottled {
        /// Seconds to wait.
        retry_after_s: u64,
    },
    /// Too many wrong codes: this code is void (and, when given, the destination is locked for
    /// that long).
    #[error("too many wrong codes")]
    TooManyAttempts {
        /// Seconds the destination stays locked, when it is.
        retry_after_s: Option<u64>,
    },
    /// The code expired, was used, or the verification is unknown.
    #[error("the verification has ended")]
    Expired,
    /// Redemption without the right bearer key.
    #[error("a redeem key is required")]
    Unauthorized,
    /// A token this server did not issue.
    #[error("not a proof this server issued")]
    InvalidToken,
    /// A proof already redeemed, or past its expiry.
    #[error("the proof was already redeemed or has expired")]
    AlreadyRedeemed,
    /// No gateway delivers codes by this channel (outside dev mode).
    #[error("codes cannot be sent by {0} here")]
    ChannelUnavailable(String),
    /// The gateway did not take the message (it failed, or took too long): nothing was sent and
    /// nothing counted; try again shortly. The detail is for the server's log, never the client.
    #[error("the code could not be delivered: {0}")]
    NotDelivered(String),
    /// The server cannot answer now (its store or random source failed).
    #[error("unavailable: {0}")]
    Unavailable(String),
}

impl From<StoreError> for ApiError {
    fn from(error: StoreError) -> Self {
        Self::Unavailable(error.to_string())
    }
}
