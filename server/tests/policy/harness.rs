//! A backend behind the real router, a clock the test moves, and requests as a browser or a
//! server would send them.

use std::net::{IpAddr, SocketAddr};
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::ConnectInfo;
use axum::http::{header, HeaderName, Request, StatusCode};
use axum::Router;
use checkout_verify::core::backend::{
    CheckOutcome, CheckRequest, HttpAnswer, SendOutcome, SendRequest,
};
use checkout_verify::Config;
use checkout_verify_server::delivery::Gateways;
use checkout_verify_server::keys::Keys;
use checkout_verify_server::policy::{Policy, Rate};
use checkout_verify_server::store::{MemoryStore, RedisStore, Store};
use checkout_verify_server::{app, Clock, Operations, Settings};
use http_body_util::BodyExt;
use serde_json::{json, Value};
use tower::ServiceExt;

/// The tests' "now": 2027-01-15.
pub const T0: u64 = 1_800_000_000_000;

/// The redeem key the tests' store server presents.
pub const REDEEM_KEY: &str = "redeem-key-for-tests-0123456789abcdef";

/// A client on this machine (the developer's browser, for `/dev/*`).
pub const LOCAL: IpAddr = IpAddr::V4(std::net::Ipv4Addr::LOCALHOST);

/// The shopper's number in the tests, canonical.
pub const PHONE: &str = "+14155554567";

/// A clock the test moves.
#[derive(Clone)]
pub struct TestClock(Arc<AtomicU64>);

impl Clock for TestClock {
    fn now_ms(&self) -> u64 {
        self.0.load(Ordering::SeqCst)
    }
}

/// The settings most tests use: dev mode on `shop.example`, pages from
/// `https://shop.example` allowed, and send budgets out of the way (the abuse tests set their
/// own).
pub fn settings() -> Settings {
    Settings {
        policy: Policy {
            client_sends: Rate {
                per_hour: 100_000,
                burst: 1_000,
            },
            network_sends: Rate {
                per_hour: 100_000,
                burst: 1_000,
            },
            overall_sends: Rate {
                per_hour: 100_000,
                burst: 1_000,
            },
            ..Policy::default()
        },
        public_host: "shop.example".into(),
        store_name: "Shop Example".into(),
        allow_origins: vec!["https://shop.example".into()],
        trusted_proxies: Vec::new(),
        gateways: Gateways::default(),
        dev: true,
        print: false,
        keys: Keys::new(b"secret-for-tests-0123456789abcdef", REDEEM_KEY.as_bytes()).expect("keys"),
    }
}

/// The app under test.
pub struct Harness<S> {
    app: Router,
    /// The backend, to read its outbox and store.
    pub backend: Arc<Operations<S, TestClock>>,
    time: Arc<AtomicU64>,
}

/// An answer, with the headers the tests look at.
#[derive(Debug)]
pub struct Reply {
    /// Status.
    pub status: StatusCode,
    /// Every header, lower-cased names.
    pub headers: axum::http::HeaderMap,
    /// The body as text.
    pub body: String,
}

impl Reply {
    /// The body as JSON (null when it is not).
    pub fn json(&self) -> Value {
        serde_json::from_str(&self.body).unwrap_or(Value::Null)
    }

    /// A header's value.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers.get(name).and_then(|v| v.to_str().ok())
    }

    fn answer(&self) -> HttpAnswer<'_> {
        HttpAnswer {
            status: self.status.as_u16(),
            retry_after: self.header("retry-after"),
            date: self.header("date"),
            received_at_ms: T0,
            body: &self.body,
        }
    }

    /// The answer to a send, as the widget classifies it (the reference preset).
    pub fn send_outcome(&self) -> SendOutcome {
        let send = SendRequest {
            destination: None,
            channel: "sms".into(),
            verification_id: None,
            context: None,
            locale: None,
            kept: Vec::new(),
        };
        Config::default()
            .backend
            .classify_send(&send, Ok(self.answer()))
    }

    /// The answer to a check, as the widget classifies it (the reference preset).
    pub fn check_outcome(&self) -> CheckOutcome {
        let check = CheckRequest {
            verification_id: String::new(),
            code: String::new(),
            destination: None,
            channel: "sms".into(),
            context: None,
            kept: Vec::new(),
        };
        Config::default()
            .backend
            .classify_check(&check, Ok(self.answer()))
    }
}

/// One request: method, path, body, headers and the client's address.
pub struct Call {
    method: &'static str,
    path: String,
    body: Option<String>,
    headers: Vec<(HeaderName, String)>,
    client: IpAddr,
}

impl Call {
    /// A request from 192.0.2.1 with `Host: shop.example` and a JSON content type.
    pub fn new(method: &'static str, path: &str) -> Self {
        Self {
            method,
            path: path.into(),
            body: None,
            headers: vec![
                (header::HOST, "shop.example".into()),
                (header::CONTENT_TYPE, "application/json".into()),
            ],
            client: IpAddr::from([192, 0, 2, 1]),
        }
    }

    /// With this JSON body.
    pub fn json(mut self, body: Value) -> Self {
        self.body = Some(body.to_string());
        self
    }

    /// With this raw body.
    pub fn raw(mut self, body: impl Into<String>) -> Self {
        self.body = Some(body.into());
        self
    }

    /// With this header (replacing one of the same name).
    pub fn header(mut self, name: &str, value: &str) -> Self {
        let name = HeaderName::from_bytes(name.as_bytes()).expect("a header name");
        self.headers.retain(|(n, _)| *n != name);
        self.headers.push((name, value.into()));
        self
    }

    /// From this client address.
    pub fn from(mut self, client: IpAddr) -> Self {
        self.client = client;
        self
    }
}

impl Harness<MemoryStore> {
    /// Over a memory store, with [`settings`].
    pub fn memory() -> Self {
        Self::with(MemoryStore::default(), settings())
    }
}

impl Harness<RedisStore> {
    /// Over a Redis store (keys of its own on the tests' redis-server), with [`settings`].
    pub async fn redis() -> Self {
        Self::with(crate::redis_server::store().await, settings())
    }
}

impl<S: Store> Harness<S> {
    /// Over `store` with `settings`.
    pub fn with(store: S, settings: Settings) -> Self {
        let time = Arc::new(AtomicU64::new(T0));
        let backend = Arc::new(Operations::new(settings, store, TestClock(time.clone())));
        Self {
            app: app(backend.clone(), None),
            backend,
            time,
        }
    }

    /// The same store under other settings (dev mode and keys as they were, unless changed).
    pub fn reconfigure(self, change: impl FnOnce(&mut Settings)) -> Self {
        let Self { app, backend, .. } = self;
        drop(app);
        let backend = Arc::into_inner(backend).expect("no request in flight");
        let mut settings = backend.settings;
        change(&mut settings);
        Self::with(backend.store, settings)
    }

    /// Moves the clock on.
    pub fn advance(&self, ms: u64) {
        self.time.fetch_add(ms, Ordering::SeqCst);
    }

    /// Sends `call` through the router.
    pub async fn call(&self, call: Call) -> Reply {
        let mut builder = Request::builder().method(call.method).uri(&call.path);
        for (name, value) in &call.headers {
            builder = builder.header(name, value);
        }
        let mut request = builder
            .body(call.body.map_or_else(Body::empty, Body::from))
            .expect("request");
        request
            .extensions_mut()
            .insert(ConnectInfo(SocketAddr::new(call.client, 50_000)));
        let response = self.app.clone().oneshot(request).await.expect("response");
        let status = response.status();
        let headers = response.headers().clone();
        let bytes = response
            .into_body()
            .collect()
            .await
            .expect("body")
            .to_bytes();
        Reply {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    /// `POST path` with a JSON body.
    pub async fn post(&self, path: &str, body: Value) -> Reply {
        self.call(Call::new("POST", path).json(body)).await
    }

    /// `GET path`.
    pub async fn get(&self, path: &str) -> Reply {
        self.call(Call::new("GET", path)).await
    }

    /// Starts a verification for [`PHONE`]; returns its id.
    pub async fn start(&self) -> String {
        self.start_for("+1 415 555 4567").await
    }

    /// Asks for a first code for `destination` by SMS.
    pub async fn send_to(&self, destination: &str) -> Reply {
        self.post(
            "/api/verification",
            json!({"destination": destination, "channel": "sms"}),
        )
        .await
    }

    /// Starts a verification for `destination`; returns its id.
    pub async fn start_for(&self, destination: &str) -> String {
        let reply = self.send_to(destination).await;
        assert_eq!(reply.status, StatusCode::ACCEPTED, "{}", reply.body);
        reply.json()["verification_id"]
            .as_str()
            .expect("id")
            .to_string()
    }

    /// Asks for another code for `id`.
    pub async fn resend(&self, id: &str) -> Reply {
        self.post(
            "/api/verification",
            json!({"channel": "sms", "verification_id": id}),
        )
        .await
    }

    /// The code in the newest message, read from its origin-bound last line.
    pub fn last_code(&self) -> String {
        let messages = self.backend.outbox.list();
        let text = &messages.last().expect("a message").text;
        let last_line = text.lines().last().expect("a line");
        last_line.rsplit_once('#').expect("#code").1.to_string()
    }

    /// Checks `code` for `id`.
    pub async fn check(&self, id: &str, code: &str) -> Reply {
        self.post(
            "/api/verification/check",
            json!({"verification_id": id, "code": code}),
        )
        .await
    }

    /// Redeems `token` as the store's server, with `key`.
    pub async fn redeem(&self, token: &str, key: &str) -> Reply {
        self.call(
            Call::new("POST", "/api/verification/redeem")
                .header("authorization", &format!("Bearer {key}"))
                .json(json!({ "token": token })),
        )
        .await
    }

    /// A started, approved verification: its id and proof token.
    pub async fn approved(&self) -> (String, String) {
        let id = self.start().await;
        let reply = self.check(&id, &self.last_code()).await;
        assert_eq!(reply.status, StatusCode::OK, "{}", reply.body);
        let token = reply.json()["token"].as_str().expect("token").to_string();
        (id, token)
    }
}

/// A wrong code of the same length: each digit moved on by one.
pub fn wrong(code: &str) -> String {
    code.chars()
        .map(|c| {
            if c == '9' {
                '0'
            } else {
                char::from(c as u8 + 1)
            }
        })
        .collect()
}
