//! The doctor: drives a real backend through the widget's own adapter and says, step by step,
//! what was sent, what came back, how the widget classifies it and what the shopper would see —
//! then what the widget needs that the backend lacks. A storefront developer runs it against
//! their backend before going live.
//!
//! ```text
//! cargo run --release --example doctor -- --config FILE --destination X \
//!     [--origin https://shop.example] [--code-from CMD]
//! ```
//!
//! `--config` is the widget's config as the page gives it (`backend`, or `endpoints`, and
//! `development`); `--origin` is the page's origin, for same-origin paths and the CORS check;
//! `--code-from` runs a shell command that prints the code that was sent (its last run of code
//! characters is taken), so the right code can be checked too. A wrong code is always tried
//! first. The code is never printed. Exits 1 when something needs fixing.

// The doctor speaks HTTP natively (ureq); built for the browser it has nothing to do.
#[cfg(target_arch = "wasm32")]
fn main() {}

#[cfg(not(target_arch = "wasm32"))]
fn main() -> std::process::ExitCode {
    doctor::main()
}

#[cfg(not(target_arch = "wasm32"))]
mod doctor {
    use std::process::{Command, ExitCode};

    use checkout_verify::core::backend::adapter::{Adapter, HttpRequest, PageValues};
    use checkout_verify::core::backend::{
        CheckOutcome, CheckRequest, Failure, HttpAnswer, SendOutcome, SendRequest,
    };
    use checkout_verify::core::config::backend;
    use checkout_verify::core::json::Json;
    use checkout_verify::core::messages::Locale;
    use checkout_verify::{Config, Flow, Input};

    const USAGE: &str =
        "usage: doctor --config FILE --destination X [--origin ORIGIN] [--code-from CMD]";

    /// The page's clock for the flow's deadlines: the doctor only reads messages, so any instant.
    const NOW_MS: u64 = 1_800_000_000_000;

    struct Options {
        config: String,
        destination: String,
        origin: Option<String>,
        code_from: Option<String>,
    }

    fn options() -> Result<Options, String> {
        let mut args = std::env::args().skip(1);
        let (mut config, mut destination, mut origin, mut code_from) = (None, None, None, None);
        while let Some(arg) = args.next() {
            let mut value = || args.next().ok_or(format!("{arg} needs a value"));
            match arg.as_str() {
                "--config" => config = Some(value()?),
                "--destination" => destination = Some(value()?),
                "--origin" => origin = Some(value()?.trim_end_matches('/').to_string()),
                "--code-from" => code_from = Some(value()?),
                other => return Err(format!("unknown argument {other}")),
            }
        }
        Ok(Options {
            config: config.ok_or("--config is required")?,
            destination: destination.ok_or("--destination is required")?,
            origin,
            code_from,
        })
    }

    /// One exchange as the doctor saw it.
    struct Seen {
        status: u16,
        headers: Vec<(String, String)>,
        body: String,
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
                received_at_ms: std::time::SystemTime::now()
                    .duration_since(std::time::UNIX_EPOCH)
                    .map_or(0, |d| u64::try_from(d.as_millis()).unwrap_or(u64::MAX)),
                body: &self.body,
            }
        }
    }

    /// What the doctor found that needs fixing, or is worth knowing.
    #[derive(Default)]
    struct Findings {
        problems: Vec<String>,
        notes: Vec<String>,
    }

    pub fn main() -> ExitCode {
        match run() {
            Ok(findings) => {
                println!();
                for (label, lines) in [("note", &findings.notes), ("FIX", &findings.problems)] {
                    let mut said: Vec<&String> = Vec::new();
                    for line in lines {
                        if !said.contains(&line) {
                            println!("{label}: {line}");
                            said.push(line);
                        }
                    }
                }
                if findings.problems.is_empty() {
                    println!("The widget can work with this backend.");
                    ExitCode::SUCCESS
                } else {
                    ExitCode::FAILURE
                }
            }
            Err(problem) => {
                eprintln!("{problem}\n{USAGE}");
                ExitCode::from(2)
            }
        }
    }

    fn run() -> Result<Findings, String> {
        let options = options()?;
        let text = std::fs::read_to_string(&options.config)
            .map_err(|e| format!("{}: {e}", options.config))?;
        let json = Json::parse(&text).map_err(|e| format!("{}: {e}", options.config))?;
        let adapter = backend::of_config(&json).map_err(|e| e.to_string())?;
        let agent: ureq::Agent = ureq::Agent::config_builder()
            .http_status_as_error(false)
            .max_redirects(0)
            .timeout_global(Some(std::time::Duration::from_secs(adapter.timeout_s)))
            .build()
            .into();
        let mut findings = Findings::default();
        let mut flow = Flow::new(Config {
            destination: Some(options.destination.clone()),
            ..Config::default()
        });

        println!("== send a code to {}", options.destination);
        let send = SendRequest {
            destination: Some(options.destination.clone()),
            channel: "sms".into(),
            verification_id: None,
            kept: Vec::new(),
        };
        let request = adapter.send_request(&send, &PageValues::default());
        let seen = exchange(&agent, request, &options, None, &mut findings)?;
        let outcome = adapter.classify_send(&send, seen.as_ref().map(Seen::answer).map_err(|f| *f));
        println!("   outcome: {outcome:?}");
        flow.handle(Input::Send, NOW_MS);
        flow.handle(Input::SendAnswered(outcome.clone()), NOW_MS);
        shopper_sees(&flow);
        let SendOutcome::Sent(sent) = outcome else {
            findings
                .problems
                .push("the send did not give a code; nothing more can be checked".into());
            return Ok(findings);
        };
        if adapter.send.read.verification_id.is_none() {
            findings.notes.push(
                "the send answer names no verification: the destination stands for it in later requests"
                    .into(),
            );
        }
        if sent.expires_in.is_none() {
            findings.notes.push(
                "the send answer says nothing of expiry: the widget counts its code_lifetime"
                    .into(),
            );
        }
        if sent.resend_in.is_none() {
            findings.notes.push(
                "the send answer says nothing of the resend wait: the widget backs off on its own"
                    .into(),
            );
        }

        let length = usize::from(sent.code_length.unwrap_or(6));
        let check = |code: String| CheckRequest {
            verification_id: sent.verification_id.clone(),
            code,
            destination: Some(options.destination.clone()),
            channel: "sms".into(),
            kept: sent.kept.clone(),
        };
        println!("\n== check a wrong code");
        let wrong = check("0".repeat(length));
        let outcome = check_once(&agent, &adapter, &wrong, &options, &mut findings, &mut flow)?;
        if !matches!(
            outcome,
            CheckOutcome::InvalidCode { .. } | CheckOutcome::InvalidOrExpired { .. }
        ) {
            findings.problems.push(format!(
                "a wrong code is classified as {outcome:?}, not as a wrong code: add a rule, a status or an error code for it"
            ));
        }
        let Some(command) = &options.code_from else {
            findings
                .notes
                .push("give --code-from CMD to check the right code too".into());
            return Ok(findings);
        };
        let printed = Command::new("sh")
            .arg("-c")
            .arg(command)
            .output()
            .map_err(|e| format!("--code-from: {e}"))?;
        let printed = String::from_utf8_lossy(&printed.stdout);
        let code = last_code(&printed, length).ok_or(format!(
            "--code-from printed no run of {length} code characters"
        ))?;
        println!("\n== check the right code");
        let outcome = check_once(
            &agent,
            &adapter,
            &check(code),
            &options,
            &mut findings,
            &mut flow,
        )?;
        match outcome {
            CheckOutcome::Verified { token: None } => findings
                .notes
                .push("the approval carries no token: the store's server must vouch for it another way".into()),
            CheckOutcome::Verified { .. } => {}
            other => findings.problems.push(format!(
                "the right code is classified as {other:?}: a 2xx that would never verify needs a status, a rule or read.token"
            )),
        }
        Ok(findings)
    }

    /// Checks `request`'s code, prints the exchange, and feeds the flow.
    fn check_once(
        agent: &ureq::Agent,
        adapter: &Adapter,
        request: &CheckRequest,
        options: &Options,
        findings: &mut Findings,
        flow: &mut Flow,
    ) -> Result<CheckOutcome, String> {
        let http = adapter.check_request(request, &PageValues::default());
        let seen = exchange(agent, http, options, Some(&request.code), findings)?;
        let outcome =
            adapter.classify_check(request, seen.as_ref().map(Seen::answer).map_err(|f| *f));
        println!("   outcome: {outcome:?}");
        flow.handle(Input::Submit(request.code.clone()), NOW_MS);
        flow.handle(Input::CheckAnswered(outcome.clone()), NOW_MS);
        shopper_sees(flow);
        if matches!(
            outcome,
            CheckOutcome::Failed(Failure::Unrecognised(_) | Failure::Server(_))
        ) {
            findings.problems.push(format!(
                "an answer the adapter does not classify: {outcome:?}"
            ));
        }
        Ok(outcome)
    }

    /// Sends `request`, prints it (the code masked) and the answer, and notes what the widget
    /// cannot do with the answer's headers.
    fn exchange(
        agent: &ureq::Agent,
        request: HttpRequest,
        options: &Options,
        code: Option<&str>,
        findings: &mut Findings,
    ) -> Result<Result<Seen, Failure>, String> {
        let mask = |text: &str| match code {
            Some(code) if !code.is_empty() => text.replace(code, "••••••"),
            _ => text.to_string(),
        };
        let url = if request.url.starts_with('/') {
            let origin = options
                .origin
                .as_ref()
                .ok_or("--origin is needed for a same-origin step URL")?;
            format!("{origin}{}", request.url)
        } else {
            request.url.clone()
        };
        println!("-> {} {}", request.method, mask(&url));
        let mut builder = ureq::http::Request::builder()
            .method(request.method)
            .uri(&url);
        for (name, value) in &request.headers {
            println!("   {name}: {}", mask(value));
            builder = builder.header(name, value);
        }
        if let Some(origin) = &options.origin {
            builder = builder.header("Origin", origin);
        }
        if let Some(body) = &request.body {
            println!("   {}", mask(body));
        }
        let built = builder
            .body(request.body.unwrap_or_default())
            .map_err(|e| format!("cannot build the request to {url}: {e}"))?;
        let mut response = match agent.run(built) {
            Ok(response) => response,
            Err(ureq::Error::Timeout(_)) => {
                println!("<- no answer within the timeout");
                return Ok(Err(Failure::Timeout));
            }
            Err(e) => {
                println!("<- no answer: {e}");
                findings.problems.push(format!("{url} did not answer: {e}"));
                return Ok(Err(Failure::Network));
            }
        };
        let headers: Vec<(String, String)> = response
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
            .collect();
        let body = response
            .body_mut()
            .with_config()
            .limit(1 << 20)
            .read_to_string()
            .unwrap_or_default();
        let seen = Seen {
            status: response.status().as_u16(),
            headers,
            body,
        };
        println!("<- {}", seen.status);
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
                println!("   {name}: {value}");
            }
        }
        let shown: String = seen.body.chars().take(600).collect();
        println!("   {}", mask(&shown));
        check_headers(&seen, &url, findings);
        Ok(Ok(seen))
    }

    /// What the answer's headers let the widget do.
    fn check_headers(seen: &Seen, url: &str, findings: &mut Findings) {
        if !seen
            .header("cache-control")
            .is_some_and(|v| v.contains("no-store"))
        {
            findings.problems.push(format!(
                "{url} answers without Cache-Control: no-store (a code's answer must not be cached)"
            ));
        }
        if (300..400).contains(&seen.status) {
            findings.problems.push(format!(
                "{url} redirects ({}): the widget never follows a redirect",
                seen.status
            ));
        }
        let cross_origin = seen.header("access-control-allow-origin").is_some();
        let exposed = seen
            .header("access-control-expose-headers")
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        for header in ["retry-after", "date"] {
            if cross_origin && seen.header(header).is_some() && !exposed.contains(header) {
                findings.notes.push(format!(
                    "{url} sends {header} without exposing it (Access-Control-Expose-Headers): a page on another origin cannot read it"
                ));
            }
        }
    }

    /// The last run of exactly `length` digits in `printed`, else of digits and letters (codes
    /// are most often digits, and a session id beside them should not pass for one).
    fn last_code(printed: &str, length: usize) -> Option<String> {
        let run = |code: fn(char) -> bool| {
            printed
                .split(move |c: char| !code(c))
                .rfind(|run| run.len() == length)
                .map(str::to_string)
        };
        run(|c| c.is_ascii_digit()).or_else(|| run(|c| c.is_ascii_alphanumeric()))
    }

    /// Prints what the shopper reads now.
    fn shopper_sees(flow: &Flow) {
        let locale = Locale::En;
        if let Some(status) = flow.status() {
            println!("   shopper reads: {}", locale.text(&status.message()));
        }
        if let Some(alert) = flow.alert() {
            println!("   shopper is alerted: {}", locale.text(&alert.message()));
        }
    }
}
