//! Why an answer was not placed: what a step's `outcome` and `read` looked for in it and what
//! they found, in one sentence for the store's developer (the widget's console, the doctor). The
//! shopper never reads it: they get the plain alert. Values are quoted from the answer only where
//! a configured pointer names them, never the whole body, which might echo what was sent.

use super::adapter::{Adapter, Test};
use super::pointer::Pointer;
use super::{CheckOutcome, Failure, HttpAnswer, Request, SendOutcome};
use crate::core::json::Json;

impl SendOutcome {
    /// Whether the adapter could not place the answer: a 2xx nothing describes, or a refusal
    /// outside 5xx that no outcome names (often a misconfigured step). Worth explaining.
    pub fn unplaced(&self) -> bool {
        matches!(self, SendOutcome::Failed(failure) if failure.unplaced())
    }
}

impl CheckOutcome {
    /// Whether the adapter could not place the answer (see [`SendOutcome::unplaced`]).
    pub fn unplaced(&self) -> bool {
        matches!(self, CheckOutcome::Failed(failure) if failure.unplaced())
    }
}

impl Failure {
    fn unplaced(self) -> bool {
        match self {
            Failure::Unrecognised(_) => true,
            Failure::Server(status) => status < 500,
            _ => false,
        }
    }
}

impl Adapter {
    /// What `request`'s step (the resend step with `resend`) looked for in `answer` and found.
    pub fn explain(&self, request: Request, resend: bool, answer: &HttpAnswer<'_>) -> String {
        let step = self.step_for(request, resend);
        let name = match (request, resend && self.resend.is_some()) {
            (Request::Check, _) => "check",
            (Request::Send, true) => "resend",
            (Request::Send, false) => "send",
        };
        let body = Json::parse(answer.body).ok();
        let mut looked = Vec::new();
        if body.is_none() {
            looked.push("a JSON body (this one is not JSON)".to_string());
        }
        let found = |pointer: &Pointer| found(pointer, body.as_ref());
        for rule in &step.outcome.rules {
            let (how, value) = match &rule.test {
                Test::Equals(value) => ("equals", value),
                Test::Contains(value) => ("contains", value),
            };
            looked.push(format!(
                "a rule: {} {how} {} ({})",
                rule.pointer,
                Json::from(value.as_str()),
                found(&rule.pointer)
            ));
        }
        if let Some(status) = &step.outcome.status {
            looked.push(format!(
                "a status at {status} among {} ({})",
                keys(&step.outcome.statuses),
                found(status)
            ));
        }
        for code in &step.outcome.codes {
            looked.push(format!(
                "an error code at {code} among {} ({})",
                keys(&step.outcome.errors),
                found(code)
            ));
        }
        let statuses: Vec<String> = step
            .outcome
            .http
            .iter()
            .map(|(s, _)| s.to_string())
            .collect();
        looked.push(format!(
            "HTTP {} among the http outcomes [{}]",
            answer.status,
            statuses.join(", ")
        ));
        let reads: [(&str, &Option<Pointer>); 3] = match request {
            Request::Check => [
                ("token", &step.read.token),
                ("attempts_remaining", &step.read.attempts_remaining),
                ("", &None),
            ],
            Request::Send => [
                ("verification_id", &step.read.verification_id),
                ("expires_in", &step.read.expires_in),
                ("code_length", &step.read.code_length),
            ],
        };
        for (read, pointer) in reads {
            if let Some(pointer) = pointer {
                looked.push(format!("read.{read} at {pointer} ({})", found(pointer)));
            }
        }
        if request == Request::Check && step.read.token.is_none() {
            looked.push(
                "read.token (none: a 2xx check verifies only by a status, an error code, a rule or a token)"
                    .to_string(),
            );
        }
        format!(
            "checkout-verify: the {name} answer (HTTP {}) matched nothing in backend.{name}, so the shopper is told nothing is confirmed. Looked for: {}.",
            answer.status,
            looked.join("; ")
        )
    }
}

/// What a pointer found, in words: `absent`, or the value (shortened).
fn found(pointer: &Pointer, body: Option<&Json>) -> String {
    match body.and_then(|b| pointer.get(b)) {
        None => "absent".to_string(),
        Some(value) => {
            let text = value.to_string();
            match text.char_indices().nth(60) {
                Some((cut, _)) => format!("found {}…", text.get(..cut).unwrap_or_default()),
                None => format!("found {text}"),
            }
        }
    }
}

/// A table's keys, quoted and comma-separated.
fn keys<T>(table: &[(String, T)]) -> String {
    let keys: Vec<String> = table
        .iter()
        .map(|(key, _)| Json::from(key.as_str()).to_string())
        .collect();
    format!("[{}]", keys.join(", "))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::core::config::Config;

    fn answer(status: u16, body: &str) -> HttpAnswer<'_> {
        HttpAnswer {
            status,
            retry_after: None,
            date: None,
            received_at_ms: 0,
            body,
        }
    }

    #[test]
    fn an_unplaced_check_says_what_was_looked_for_and_found() {
        let adapter = Config::default().backend;
        let text = adapter.explain(
            Request::Check,
            false,
            &answer(200, r#"{"status":"pending"}"#),
        );
        assert!(
            text.starts_with("checkout-verify: the check answer (HTTP 200)"),
            "{text}"
        );
        assert!(
            text.contains(r#"a status at /status among ["approved"] (found "pending")"#),
            "{text}"
        );
        assert!(text.contains("an error code at /type"), "{text}");
        assert!(text.contains("read.token at /token (absent)"), "{text}");
        let html = adapter.explain(Request::Send, false, &answer(403, "<h1>no</h1>"));
        assert!(
            html.contains("the send answer (HTTP 403)") && html.contains("not JSON"),
            "{html}"
        );
        assert!(!html.contains("<h1>"), "the body itself is never quoted");
    }

    #[test]
    fn only_answers_nothing_placed_are_explained() {
        assert!(CheckOutcome::Failed(Failure::Unrecognised(200)).unplaced());
        assert!(CheckOutcome::Failed(Failure::Server(404)).unplaced());
        assert!(!CheckOutcome::Failed(Failure::Server(503)).unplaced());
        assert!(!CheckOutcome::Failed(Failure::Network).unplaced());
        assert!(!CheckOutcome::Expired.unplaced());
        assert!(SendOutcome::Failed(Failure::Unrecognised(202)).unplaced());
    }
}
