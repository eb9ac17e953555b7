//! The adapter: a backend's verify API described as data — where each step goes, what it sends,
//! what to read from the answer and how to classify it — so the widget can speak to any backend
//! without code of its own. Built from the config's `backend` (a preset, merged with the page's
//! overrides) by [`crate::core::config`], which refuses a wrong one at mount with the field named.

use super::pointer::Pointer;
use super::template::{self, Vars};
pub use super::template::{no_page_values, PageValues};
use super::{CheckRequest, Request, SendRequest};
use crate::core::json::Json;
use crate::core::text;

/// The HTTP method of a step.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// `POST` (the default).
    #[default]
    Post,
    /// `PUT`.
    Put,
    /// `GET`: the body goes in the query.
    Get,
}

impl Method {
    /// The method's name on the wire.
    pub fn name(self) -> &'static str {
        match self {
            Method::Post => "POST",
            Method::Put => "PUT",
            Method::Get => "GET",
        }
    }
}

/// How a step's body is sent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Encoding {
    /// `application/json` (the default).
    #[default]
    Json,
    /// `application/x-www-form-urlencoded`, as Twilio's API takes it.
    Form,
    /// In the URL's query string, nothing in the body.
    Query,
}

/// What an answer means, as a step's `outcome` names it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Verdict {
    /// A code is on its way (send).
    Sent,
    /// The code is right (check).
    Verified,
    /// The code is wrong; another try is allowed (check).
    Invalid,
    /// Wrong or expired: the backend cannot tell which (check).
    InvalidOrExpired,
    /// The code expired (check).
    Expired,
    /// Too many wrong codes: this code is void (check).
    Locked,
    /// Slow down (either).
    Throttled,
    /// No more codes may be sent for now (send).
    SendLimit,
    /// The number or address cannot receive codes (send).
    InvalidDestination,
    /// The backend refuses this shopper or number (either).
    Blocked,
    /// Something went wrong; nothing is confirmed (either).
    Error,
}

impl Verdict {
    /// Every verdict with its config name.
    pub const NAMES: [(&'static str, Verdict); 11] = [
        ("sent", Verdict::Sent),
        ("verified", Verdict::Verified),
        ("invalid", Verdict::Invalid),
        ("invalid_or_expired", Verdict::InvalidOrExpired),
        ("expired", Verdict::Expired),
        ("locked", Verdict::Locked),
        ("throttled", Verdict::Throttled),
        ("send_limit", Verdict::SendLimit),
        ("invalid_destination", Verdict::InvalidDestination),
        ("blocked", Verdict::Blocked),
        ("error", Verdict::Error),
    ];

    /// The verdict named `name` in a config.
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, verdict)| *verdict)
    }

    /// Its name in a config.
    pub fn name(self) -> &'static str {
        Self::NAMES
            .iter()
            .find(|(_, verdict)| *verdict == self)
            .map_or("error", |(name, _)| name)
    }

    /// Whether an answer to `request` may mean this.
    pub fn fits(self, request: Request) -> bool {
        match self {
            Verdict::Throttled | Verdict::Blocked | Verdict::Error => true,
            Verdict::Sent | Verdict::SendLimit | Verdict::InvalidDestination => {
                request == Request::Send
            }
            Verdict::Verified
            | Verdict::Invalid
            | Verdict::InvalidOrExpired
            | Verdict::Expired
            | Verdict::Locked => request == Request::Check,
        }
    }
}

/// How a value at a pointer is tested by a rule.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Test {
    /// The value, as text, is exactly this.
    Equals(String),
    /// The value, as text, contains this.
    Contains(String),
}

/// A rule of a step's `outcome`: when the value at `pointer` passes `test`, the answer means
/// `verdict`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rule {
    /// Where the value is.
    pub pointer: Pointer,
    /// What it must be.
    pub test: Test,
    /// What the answer then means.
    pub verdict: Verdict,
}

/// How a step's answers are classified, in this order, the first that decides winning:
/// `rules`, then for a 2xx answer `status` through `statuses`, then the first of `codes` that
/// holds a value through `errors`, then `http`, then the defaults.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Outcomes {
    /// Rules on values of the answer.
    pub rules: Vec<Rule>,
    /// Where a 2xx answer says how it went.
    pub status: Option<Pointer>,
    /// What each status value means (booleans and numbers as their JSON text).
    pub statuses: Vec<(String, Verdict)>,
    /// Where an answer names its error, most specific first.
    pub codes: Vec<Pointer>,
    /// What each error code means.
    pub errors: Vec<(String, Verdict)>,
    /// What each HTTP status means.
    pub http: Vec<(u16, Verdict)>,
}

/// What a step reads from its answer.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Reads {
    /// Send: names the verification in later requests (else the destination stands for it).
    pub verification_id: Option<Pointer>,
    /// Send: seconds the code stays valid.
    pub expires_in: Option<Pointer>,
    /// Send: when the code expires (seconds since the epoch, or an HTTP-date).
    pub expires_at: Option<Pointer>,
    /// Send: seconds until another code may be asked for.
    pub resend_in: Option<Pointer>,
    /// Send: codes that may still be sent.
    pub sends_remaining: Option<Pointer>,
    /// Send: characters in the code.
    pub code_length: Option<Pointer>,
    /// Send: where the code went, masked.
    pub destination_hint: Option<Pointer>,
    /// Check: the proof of verification; when configured, `verified` needs a non-empty one.
    pub token: Option<Pointer>,
    /// Check: wrong tries left.
    pub attempts_remaining: Option<Pointer>,
}

/// One request of the backend: send, resend or check.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Step {
    /// The URL template; one without a scheme is joined to the adapter's `base_url`.
    pub url: String,
    /// The method.
    pub method: Method,
    /// How the body is sent.
    pub encoding: Encoding,
    /// The body template, if any.
    pub body: Option<Json>,
    /// What to read from the answer.
    pub read: Reads,
    /// Values of the send answer kept for later templates, as `sent.<name>`.
    pub keep: Vec<(String, Pointer)>,
    /// How answers are classified.
    pub outcome: Outcomes,
    /// Where the body repeats the wait when `Retry-After` is absent or hidden by CORS.
    pub retry_after: Vec<Pointer>,
}

/// A backend, as the widget speaks to it.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Adapter {
    /// Prefix for step URLs without a scheme. Default `""`: the page's own origin.
    pub base_url: String,
    /// Values for templates, `{{params.<name>}}`.
    pub params: Vec<(String, String)>,
    /// Header templates sent with every request.
    pub headers: Vec<(String, String)>,
    /// Seconds a request may take before it counts as failed and may be retried. Default 15.
    pub timeout_s: u64,
    /// The widget's channel names as this backend spells them (`{"voice": "call"}`).
    pub channel_names: Vec<(String, String)>,
    /// Sends a first code.
    pub send: Step,
    /// Sends another code for the same verification. Default: the send step.
    pub resend: Option<Step>,
    /// Checks a code.
    pub check: Step,
}

/// A request ready for `fetch`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpRequest {
    /// `POST`, `PUT` or `GET`.
    pub method: &'static str,
    /// The absolute or same-origin URL.
    pub url: String,
    /// Headers, the content type among them when there is a body.
    pub headers: Vec<(String, String)>,
    /// The body, if any.
    pub body: Option<String>,
}

impl Adapter {
    /// The step that answers `request`: resend when a verification runs and a resend step is
    /// configured, else send; or check.
    pub(super) fn step_for(&self, request: Request, resend: bool) -> &Step {
        match (request, &self.resend) {
            (Request::Check, _) => &self.check,
            (Request::Send, Some(step)) if resend => step,
            (Request::Send, _) => &self.send,
        }
    }

    /// The step a send or check is answered by.
    pub fn step(&self, request: Request) -> &Step {
        self.step_for(request, false)
    }

    /// Every step, for the gate and for reading what the templates need.
    pub fn steps(&self) -> impl Iterator<Item = &Step> {
        [&self.send, &self.check]
            .into_iter()
            .chain(self.resend.as_ref())
    }

    /// Every URL the widget may call, as configured (templates left in), joined to `base_url`.
    pub fn urls(&self) -> Vec<String> {
        self.steps().map(|step| self.join(&step.url)).collect()
    }

    fn join(&self, url: &str) -> String {
        if text::contains(url, "://") {
            url.to_string()
        } else {
            format!("{}{url}", self.base_url)
        }
    }

    /// The HTTP request for a send.
    pub fn send_request(&self, send: &SendRequest, page: PageValues<'_>) -> HttpRequest {
        let step = self.step_for(Request::Send, send.verification_id.is_some());
        let vars = Vars {
            destination: send.destination.as_deref(),
            channel: self.channel_name(&send.channel),
            context: send.context.as_deref(),
            locale: send.locale.as_deref(),
            code: None,
            verification_id: send.verification_id.as_deref(),
            params: &self.params,
            sent: &send.kept,
            page,
        };
        self.build(step, &vars)
    }

    /// The HTTP request for a check.
    pub fn check_request(&self, check: &CheckRequest, page: PageValues<'_>) -> HttpRequest {
        let vars = Vars {
            destination: check.destination.as_deref(),
            channel: self.channel_name(&check.channel),
            context: check.context.as_deref(),
            locale: None,
            code: Some(&check.code),
            verification_id: Some(&check.verification_id),
            params: &self.params,
            sent: &check.kept,
            page,
        };
        self.build(&self.check, &vars)
    }

    fn channel_name<'a>(&'a self, channel: &'a str) -> &'a str {
        self.channel_names
            .iter()
            .find(|(ours, _)| ours == channel)
            .map_or(channel, |(_, theirs)| theirs.as_str())
    }

    fn build(&self, step: &Step, vars: &Vars<'_>) -> HttpRequest {
        let mut url = template::url(&self.join(&step.url), vars);
        let mut headers: Vec<(String, String)> = self
            .headers
            .iter()
            .map(|(name, value)| (name.clone(), template::text(value, vars)))
            .collect();
        let body = step.body.as_ref().map(|body| template::json(body, vars));
        let encoding = match step.method {
            Method::Get => Encoding::Query,
            _ => step.encoding,
        };
        let body = match (body, encoding) {
            (None, _) => None,
            (Some(body), Encoding::Json) => {
                headers.push(("Content-Type".into(), "application/json".into()));
                Some(body.to_string())
            }
            (Some(body), Encoding::Form) => {
                headers.push((
                    "Content-Type".into(),
                    "application/x-www-form-urlencoded".into(),
                ));
                Some(form(&body))
            }
            (Some(body), Encoding::Query) => {
                let query = form(&body);
                if !query.is_empty() {
                    url.push(if url.contains('?') { '&' } else { '?' });
                    url.push_str(&query);
                }
                None
            }
        };
        headers.push((
            "Accept".into(),
            "application/json, application/problem+json".into(),
        ));
        HttpRequest {
            method: step.method.name(),
            url,
            headers,
            body,
        }
    }
}

/// The members of a flat object as `name=value&…` (`application/x-www-form-urlencoded`):
/// every member sent, empty strings included, numbers and booleans as their JSON text, `null`
/// as an empty value. Nested values are refused at mount.
fn form(body: &Json) -> String {
    let mut out = String::new();
    for (name, value) in body.as_object().unwrap_or_default() {
        if !out.is_empty() {
            out.push('&');
        }
        out.push_str(&template::percent_encode(name, true));
        out.push('=');
        if !value.is_null() {
            out.push_str(&template::percent_encode(&template::as_text(value), true));
        }
    }
    out
}
