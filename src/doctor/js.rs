//! The doctor for JavaScript (`make package` builds it with `--features doctor` into
//! `pkg/doctor/`): the session as a class whose methods take and give JSON text, driven by
//! `doctor.mjs` in Node, which does the HTTP.

use wasm_bindgen::prelude::*;

use super::{request_json, Doctor, Next, Seen, ACCEPTED};
use crate::core::backend::Failure;
use crate::core::json::Json;

/// A doctor session (see [`Doctor`]).
#[wasm_bindgen]
pub struct DoctorSession(Doctor);

fn lines(lines: Vec<String>) -> String {
    Json::Array(lines.into_iter().map(Json::String).collect()).to_string()
}

#[wasm_bindgen]
impl DoctorSession {
    /// Reads `config` as `mount` does; throws the same message when it is wrong.
    #[wasm_bindgen(constructor)]
    pub fn new(
        config: &str,
        destination: &str,
        origin: Option<String>,
        code_from: bool,
    ) -> Result<DoctorSession, JsError> {
        Doctor::new(config, destination, origin.as_deref(), code_from)
            .map(Self)
            .map_err(|e| JsError::new(&e.to_string()))
    }

    /// The line that says the widget accepts the config.
    pub fn accepted() -> String {
        ACCEPTED.to_string()
    }

    /// What to do next, as JSON: `{"kind": "request", "request", "timeout_s", "shown"}`,
    /// `{"kind": "code"}` or `{"kind": "done"}`.
    pub fn next(&mut self) -> String {
        match self.0.next_step() {
            Next::Request {
                request,
                timeout_s,
                shown,
            } => Json::object([
                ("kind", "request".into()),
                ("request", request_json(&request)),
                ("timeout_s", timeout_s.into()),
                (
                    "shown",
                    Json::Array(shown.into_iter().map(Json::String).collect()),
                ),
            ]),
            Next::Code => Json::object([("kind", "code".into())]),
            Next::Done => Json::object([("kind", "done".into())]),
        }
        .to_string()
    }

    /// An answer came: `headers` is JSON `[[name, value], …]`. Returns the lines to print (JSON).
    pub fn answered(
        &mut self,
        url: &str,
        status: u16,
        headers: &str,
        body: String,
        received_at_ms: f64,
    ) -> String {
        let headers = Json::parse(headers)
            .ok()
            .and_then(|json| {
                json.as_array()?
                    .iter()
                    .map(|pair| match pair.as_array()? {
                        [name, value] => Some((name.as_str()?.into(), value.as_str()?.into())),
                        _ => None,
                    })
                    .collect()
            })
            .unwrap_or_default();
        let seen = Seen {
            status,
            headers,
            body,
            // Date.now(): a whole, non-negative number of milliseconds.
            received_at_ms: received_at_ms as u64,
        };
        lines(self.0.answered(url, Ok(seen)))
    }

    /// No answer came (`timed_out`: within the timeout). Returns the lines to print (JSON).
    pub fn failed(&mut self, url: &str, timed_out: bool) -> String {
        let failure = if timed_out {
            Failure::Timeout
        } else {
            Failure::Network
        };
        lines(self.0.answered(url, Err(failure)))
    }

    /// What `--code-from` printed; throws when it holds no code.
    #[wasm_bindgen(js_name = codePrinted)]
    pub fn code_printed(&mut self, printed: &str) -> Result<(), JsError> {
        self.0.code_printed(printed).map_err(|e| JsError::new(&e))
    }

    /// The closing lines and whether nothing needs fixing: `{"lines", "ok"}`.
    pub fn summary(&self) -> String {
        let (summary, ok) = self.0.summary();
        Json::object([
            (
                "lines",
                Json::Array(summary.into_iter().map(Json::String).collect()),
            ),
            ("ok", ok.into()),
        ])
        .to_string()
    }
}
