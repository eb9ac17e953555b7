//! The doctor: drives a real backend through the widget's own config checker, adapter and flow,
//! and says step by step what was sent, what came back, how the widget classifies it and what the
//! shopper would read, then what the widget needs that the backend lacks. A store's developer
//! runs it before going live, from the npm package (`npx checkout-verify-doctor`, no Rust
//! toolchain needed), on this same core compiled to WebAssembly.
//!
//! Pure like the core: [`Doctor::next_step`] says what to do (send a request, get the code that was
//! sent, or stop) and the driver reports back what happened. The code is never printed.

#[cfg(all(target_arch = "wasm32", feature = "doctor"))]
mod js;
#[cfg(test)]
mod tests;

use crate::core::backend::adapter::{no_page_values, HttpRequest};
use crate::core::backend::{
    CheckOutcome, CheckRequest, Failure, HttpAnswer, Request, SendOutcome, SendRequest, Sent,
};
use crate::core::config::{Config, ConfigError};
use crate::core::flow::{Flow, Input};
use crate::core::json::Json;
use crate::core::messages::Locale;

/// The page's clock for the flow: the doctor reads only what the shopper is told, at any instant.
const NOW_MS: u64 = 1_800_000_000_000;

/// What the driver does next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Next {
    /// Send this request (its URL absolute) and report with [`Doctor::answered`]; print `shown`
    /// first, the code masked.
    Request {
        /// The request to send, redirects not followed, within `timeout_s`.
        request: HttpRequest,
        /// Seconds to wait for it.
        timeout_s: u64,
        /// The lines to print about it.
        shown: Vec<String>,
    },
    /// Run `--code-from` and report its output with [`Doctor::code_printed`].
    Code,
    /// Nothing more to try: print [`Doctor::summary`].
    Done,
}

/// One answer as the driver received it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Seen {
    /// HTTP status.
    pub status: u16,
    /// Every header, names in any case.
    pub headers: Vec<(String, String)>,
    /// The body as text.
    pub body: String,
    /// When it arrived (ms since the epoch).
    pub received_at_ms: u64,
}

impl Seen {
    fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }

    fn answer(&self) -> HttpAnswer<'_> {
        HttpAnswer {
            status: self.status,
            retry_after: self.header("retry-after"),
            date: self.header("date"),
            received_at_ms: self.received_at_ms,
            body: &self.body,
        }
    }
}

/// Where the doctor stands.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Stage {
    Send,
    WrongCode,
    RightCode,
    Done,
}

/// A session of the doctor against one backend.
#[derive(Debug)]
pub struct Doctor {
    config: Config,
    origin: Option<String>,
    code_from: bool,
    flow: Flow,
    stage: Stage,
    sent: Option<Sent>,
    /// The right code, once `--code-from` printed it.
    code: Option<String>,
    /// The request under way: what the answer is classified against.
    pending: Option<Pending>,
    problems: Vec<String>,
    notes: Vec<String>,
}

#[derive(Debug, Clone)]
enum Pending {
    Send(SendRequest),
    Check(CheckRequest),
}

impl Doctor {
    /// A session for the page config `config` (JSON text, exactly as the page gives it to
    /// `mount`) sending to `destination`, from a page on `origin` (for same-origin step URLs and
    /// the CORS check); `code_from` says whether the driver can get the code that was sent.
    /// Refuses the config with the message `mount` would throw.
    pub fn new(
        config: &str,
        destination: &str,
        origin: Option<&str>,
        code_from: bool,
    ) -> Result<Self, ConfigError> {
        let mut config = Config::from_json(config)?;
        config.destination = Some(destination.to_string());
        Ok(Self {
            flow: Flow::new(config.clone()),
            config,
            origin: origin.map(|o| o.trim_end_matches('/').to_string()),
            code_from,
            stage: Stage::Send,
            sent: None,
            code: None,
            pending: None,
            problems: Vec::new(),
            notes: Vec::new(),
        })
    }

    /// What the driver does next.
    pub fn next_step(&mut self) -> Next {
        let adapter = &self.config.backend;
        match self.stage {
            Stage::Send => {
                let send = SendRequest {
                    destination: self.config.destination.clone(),
                    channel: self.config.channel.clone(),
                    verification_id: None,
                    context: self.config.context.clone(),
                    locale: None,
                    kept: Vec::new(),
                };
                let request = adapter.send_request(&send, &no_page_values);
                self.pending = Some(Pending::Send(send));
                let heading = format!(
                    "== send a code to {}",
                    self.config.destination.as_deref().unwrap_or_default()
                );
                self.exchange(heading, request, None)
            }
            Stage::WrongCode | Stage::RightCode => {
                let Some(sent) = &self.sent else {
                    return Next::Done;
                };
                let length = usize::from(sent.code_length.unwrap_or(self.config.code_length));
                let (heading, code) = if self.stage == Stage::WrongCode {
                    ("== check a wrong code", "0".repeat(length))
                } else {
                    match &self.code {
                        Some(code) => ("== check the right code", code.clone()),
                        None => return Next::Code,
                    }
                };
                let check = CheckRequest {
                    verification_id: sent.verification_id.clone(),
                    code: code.clone(),
                    destination: self.config.destination.clone(),
                    channel: self.config.channel.clone(),
                    context: self.config.context.clone(),
                    kept: sent.kept.clone(),
                };
                let request = adapter.check_request(&check, &no_page_values);
                self.pending = Some(Pending::Check(check));
                self.exchange(heading.to_string(), request, Some(&code))
            }
            Stage::Done => Next::Done,
        }
    }

    /// The request made absolute, and the lines that show it with the code masked.
    fn exchange(&mut self, heading: String, mut request: HttpRequest, code: Option<&str>) -> Next {
        let mask = |text: &str| match code {
            Some(code) if !code.is_empty() => text.replace(code, "••••••"),
            _ => text.to_string(),
        };
        if request.url.starts_with('/') {
            match &self.origin {
                Some(origin) => request.url = format!("{origin}{}", request.url),
                None => {
                    self.problems
                        .push("--origin is needed for a same-origin step URL".into());
                    self.stage = Stage::Done;
                    return Next::Done;
                }
            }
        }
        if let Some(origin) = &self.origin {
            request.headers.push(("Origin".into(), origin.clone()));
        }
        let mut shown = vec![
            String::new(),
            heading,
            format!("-> {} {}", request.method, mask(&request.url)),
        ];
        for (name, value) in &request.headers {
            shown.push(format!("   {name}: {}", mask(value)));
        }
        if let Some(body) = &request.body {
            shown.push(format!("   {}", mask(body)));
        }
        Next::Request {
            request,
            timeout_s: self.config.backend.timeout_s,
            shown,
        }
    }

    /// The answer to the request [`Doctor::next_step`] asked for (`Err`: none came), classified; the
    /// lines to print about it.
    pub fn answered(&mut self, url: &str, reply: Result<Seen, Failure>) -> Vec<String> {
        let mut lines = Vec::new();
        match &reply {
            Ok(seen) => self.show_answer(url, seen, &mut lines),
            Err(Failure::Timeout) => lines.push("<- no answer within the timeout".into()),
            Err(_) => {
                lines.push("<- no answer".into());
                self.problems.push(format!("{url} did not answer"));
            }
        }
        let answer = reply.as_ref().map(Seen::answer).map_err(|f| *f);
        let adapter = &self.config.backend;
        match self.pending.take() {
            Some(Pending::Send(send)) => {
                let outcome = adapter.classify_send(&send, answer);
                lines.push(format!("   outcome: {outcome:?}"));
                if let (true, Ok(answer)) = (outcome.unplaced(), answer) {
                    self.problems
                        .push(adapter.explain(Request::Send, false, &answer));
                }
                self.flow.handle(Input::Send, NOW_MS);
                self.flow
                    .handle(Input::SendAnswered(outcome.clone()), NOW_MS);
                self.shopper_sees(&mut lines);
                self.sent_outcome(outcome);
            }
            Some(Pending::Check(check)) => {
                let outcome = adapter.classify_check(&check, answer);
                lines.push(format!("   outcome: {outcome:?}"));
                if let (true, Ok(answer)) = (outcome.unplaced(), answer) {
                    self.problems
                        .push(adapter.explain(Request::Check, false, &answer));
                }
                self.flow.handle(Input::Submit(check.code), NOW_MS);
                self.flow
                    .handle(Input::CheckAnswered(outcome.clone()), NOW_MS);
                self.shopper_sees(&mut lines);
                self.checked(outcome);
            }
            None => {}
        }
        lines
    }

    /// What a send's outcome means for the rest of the session.
    fn sent_outcome(&mut self, outcome: SendOutcome) {
        let SendOutcome::Sent(sent) = outcome else {
            self.problems
                .push("the send did not give a code; nothing more can be checked".into());
            self.stage = Stage::Done;
            return;
        };
        for (missing, note) in [
            (
                self.config.backend.send.read.verification_id.is_none(),
                "the send answer names no verification: the destination stands for it in later requests",
            ),
            (
                sent.expires_in.is_none(),
                "the send answer says nothing of expiry: the widget counts its code_lifetime",
            ),
            (
                sent.resend_in.is_none(),
                "the send answer says nothing of the resend wait: the widget backs off on its own",
            ),
        ] {
            if missing {
                self.notes.push(note.into());
            }
        }
        self.sent = Some(sent);
        self.stage = Stage::WrongCode;
    }

    /// What a check's outcome means for the rest of the session.
    fn checked(&mut self, outcome: CheckOutcome) {
        if self.stage == Stage::WrongCode {
            if !matches!(
                outcome,
                CheckOutcome::InvalidCode { .. } | CheckOutcome::InvalidOrExpired { .. }
            ) {
                self.problems.push(format!(
                    "a wrong code is classified as {outcome:?}, not as a wrong code: add a rule, a status or an error code for it"
                ));
            }
            self.stage = if self.code_from {
                Stage::RightCode
            } else {
                self.notes
                    .push("give --code-from CMD to check the right code too".into());
                Stage::Done
            };
            return;
        }
        match outcome {
            CheckOutcome::Verified { token: None } => self.notes.push(
                "the approval carries no token: the store's server must vouch for it another way"
                    .into(),
            ),
            CheckOutcome::Verified { .. } => {}
            other => self.problems.push(format!(
                "the right code is classified as {other:?}: a 2xx that would never verify needs a status, a rule or read.token"
            )),
        }
        self.stage = Stage::Done;
    }

    /// What `--code-from` printed: its last run of code characters of the code's length is
    /// the code. `Err` with the reason when there is none.
    pub fn code_printed(&mut self, printed: &str) -> Result<(), String> {
        let length = self
            .sent
            .as_ref()
            .and_then(|sent| sent.code_length)
            .unwrap_or(self.config.code_length);
        let code = last_code(printed, usize::from(length)).ok_or(format!(
            "--code-from printed no run of {length} code characters"
        ))?;
        self.code = Some(code);
        Ok(())
    }

    /// The closing lines: notes, what to fix, and the verdict. `(lines, ok)`.
    pub fn summary(&self) -> (Vec<String>, bool) {
        let mut lines = vec![String::new()];
        for (label, list) in [("note", &self.notes), ("FIX", &self.problems)] {
            let mut said: Vec<&String> = Vec::new();
            for line in list {
                if !said.contains(&line) {
                    lines.push(format!("{label}: {line}"));
                    said.push(line);
                }
            }
        }
        let ok = self.problems.is_empty();
        if ok {
            lines.push("The widget can work with this backend.".into());
        }
        (lines, ok)
    }

    /// The answer's status, the headers that matter, the start of its body, and what those
    /// headers let the widget do.
    fn show_answer(&mut self, url: &str, seen: &Seen, lines: &mut Vec<String>) {
        lines.push(format!("<- {}", seen.status));
        for name in [
            "content-type",
            "cache-control",
            "retry-after",
            "date",
            "location",
            "access-control-allow-origin",
            "access-control-expose-headers",
        ] {
            if let Some(value) = seen.header(name) {
                lines.push(format!("   {name}: {value}"));
            }
        }
        let shown: String = seen.body.chars().take(600).collect();
        let shown = match &self.code {
            Some(code) => shown.replace(code.as_str(), "••••••"),
            None => shown,
        };
        lines.push(format!("   {shown}"));
        if !seen
            .header("cache-control")
            .is_some_and(|v| v.contains("no-store"))
        {
            self.problems.push(format!(
                "{url} answers without Cache-Control: no-store (a code's answer must not be cached)"
            ));
        }
        if (300..400).contains(&seen.status) {
            self.problems.push(format!(
                "{url} redirects ({}): the widget never follows a redirect",
                seen.status
            ));
        }
        let page_origin = self.origin.as_deref().unwrap_or_default();
        let cross_origin = !page_origin.is_empty() && !url.starts_with(&format!("{page_origin}/"));
        let allowed = seen.header("access-control-allow-origin");
        if cross_origin && !allowed.is_some_and(|a| a == page_origin || a == "*") {
            self.problems.push(format!(
                "{url} does not allow a page on {page_origin} to read its answers (Access-Control-Allow-Origin: {})",
                allowed.unwrap_or("absent")
            ));
        }
        let exposed = seen
            .header("access-control-expose-headers")
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        for header in ["retry-after", "date"] {
            if allowed.is_some() && seen.header(header).is_some() && !exposed.contains(header) {
                self.notes.push(format!(
                    "{url} sends {header} without exposing it (Access-Control-Expose-Headers): a page on another origin cannot read it"
                ));
            }
        }
    }

    /// The shopper's status and alert now.
    fn shopper_sees(&self, lines: &mut Vec<String>) {
        let locale = Locale::english();
        if let Some(status) = self.flow.status() {
            lines.push(format!(
                "   shopper reads: {}",
                locale.text(&status.message())
            ));
        }
        if let Some(alert) = self.flow.alert() {
            lines.push(format!(
                "   shopper is alerted: {}",
                locale.text(&alert.message())
            ));
        }
    }
}

/// The doctor's opening line: the config passed the checker `mount` and the element use.
pub const ACCEPTED: &str =
    "The widget accepts this config: mount(), <checkout-verify> and this doctor read it with one checker.";

/// The last run of exactly `length` digits in `printed`, else of digits and letters (codes are
/// most often digits, and a session id beside them should not pass for one).
fn last_code(printed: &str, length: usize) -> Option<String> {
    let run = |code: fn(char) -> bool| {
        printed
            .split(move |c: char| !code(c))
            .rfind(|run| run.len() == length)
            .map(str::to_string)
    };
    run(|c| c.is_ascii_digit()).or_else(|| run(|c| c.is_ascii_alphanumeric()))
}

/// A request as the driver sends it, as JSON: `{"method", "url", "headers": [[name, value]…],
/// "body"}`.
pub fn request_json(request: &HttpRequest) -> Json {
    Json::object([
        ("method", request.method.into()),
        ("url", request.url.as_str().into()),
        (
            "headers",
            Json::Array(
                request
                    .headers
                    .iter()
                    .map(|(n, v)| Json::Array(vec![n.as_str().into(), v.as_str().into()]))
                    .collect(),
            ),
        ),
        ("body", request.body.as_deref().into()),
    ])
}
