//! The config's `backend`: a preset merged with the page's fields (objects merge key by key;
//! strings, numbers and arrays replace), or, without a preset, every step and its outcome given,
//! read into an [`Adapter`] with every field checked. A wrong adapter fails at mount with the
//! field named: `backend.check.read.token must be a JSON pointer like "/token", got "token"`.

use super::answers::{outcomes, pointer, pointers, reads};
use super::fields::{endpoint, invalid, Fields};
use super::ConfigError;
use crate::core::backend::adapter::{Adapter, Encoding, Method, Step};
use crate::core::backend::presets::preset;
use crate::core::backend::template;
use crate::core::backend::Request;
use crate::core::json::Json;
use crate::core::text;
use crate::core::url::host::is_loopback;
use crate::core::url::Endpoint;

const ENDPOINT_FIELDS: &str = "send, verify";
const BACKEND_FIELDS: &str =
    "preset, base_url, params, headers, timeout, channel_names, send, resend, check";
const STEP_FIELDS: &str = "url, method, encoding, body, read, keep, outcome, retry_after";
const PRESETS: &str = "one of \"reference\", \"firebase\", \"supabase\", \"auth0\", \"twilio-verify-proxy\", \"vonage-verify-proxy\"";

/// The longest a request may be given, in seconds.
const MAX_TIMEOUT_S: u64 = 120;
/// The default time a request may take, in seconds.
pub const DEFAULT_TIMEOUT_S: u64 = 15;

/// The adapter a page's config describes: its `backend`, or else the reference preset at the
/// URLs of `endpoints` (the shorthand), under the config's `development` rule.
pub(super) fn of_fields(
    backend: Option<&Json>,
    endpoints: Option<&Json>,
    development: bool,
) -> Result<Adapter, ConfigError> {
    match (backend, endpoints) {
        (Some(_), Some(v)) => Err(invalid(
            "endpoints",
            "absent beside `backend` (give the step URLs in backend.send.url and backend.check.url)",
            v,
        )),
        (Some(v), None) => adapter(v, development),
        (None, endpoints) => reference_at(endpoints, development),
    }
}

/// The default backend: the reference preset, at the URLs `endpoints` moves it to.
pub(super) fn reference_at(
    endpoints: Option<&Json>,
    development: bool,
) -> Result<Adapter, ConfigError> {
    let mut urls = (
        "/api/verification".to_string(),
        "/api/verification/check".to_string(),
    );
    if let Some(v) = endpoints {
        let pairs = v
            .as_object()
            .ok_or_else(|| invalid("endpoints", "an object with send and verify", v))?;
        let endpoints = Fields::new(pairs, "endpoints.", ENDPOINT_FIELDS)?;
        if let Some(v) = endpoints.get("send") {
            urls.0 = endpoint("endpoints.send", v, development)?;
        }
        if let Some(v) = endpoints.get("verify") {
            urls.1 = endpoint("endpoints.verify", v, development)?;
        }
    }
    let steps = Json::object([
        ("preset", "reference".into()),
        ("send", Json::object([("url", urls.0.into())])),
        ("check", Json::object([("url", urls.1.into())])),
    ]);
    adapter(&steps, development)
}

/// Reads the page's `backend` value.
fn adapter(value: &Json, development: bool) -> Result<Adapter, ConfigError> {
    let expected = "an object like {\"preset\": \"firebase\", \"params\": {...}}";
    let pairs = value
        .as_object()
        .ok_or_else(|| invalid("backend", expected, value))?;
    let fields = Fields::new(pairs, "backend.", BACKEND_FIELDS)?;
    let merged = match fields.get("preset") {
        Some(name) => {
            let text = name
                .as_str()
                .and_then(preset)
                .ok_or_else(|| invalid("backend.preset", PRESETS, name))?;
            let base = Json::parse(text).map_err(|e| ConfigError::NotAnObject(e.to_string()))?;
            merge(base, value)
        }
        None => {
            for step in ["send", "check"] {
                let given = fields.get(step).and_then(Json::as_object);
                let given = given.is_some_and(|pairs| {
                    ["url", "outcome"]
                        .iter()
                        .all(|key| pairs.iter().any(|(k, _)| k == key))
                });
                if !given {
                    return Err(invalid(
                        &format!("backend.{step}"),
                        "a step with its url and outcome (without a preset, nothing is filled in)",
                        fields.get(step).unwrap_or(&Json::Null),
                    ));
                }
            }
            value.clone()
        }
    };
    read(&merged, development)
}

/// `over` merged into `base`: objects key by key, anything else replaced; `null` and `preset`
/// leave the base as it is.
fn merge(base: Json, over: &Json) -> Json {
    match (base, over) {
        (Json::Object(mut pairs), Json::Object(over)) => {
            for (key, value) in over {
                if key == "preset" || value.is_null() {
                    continue;
                }
                match pairs.iter().position(|(k, _)| k == key) {
                    Some(at) => {
                        let old = std::mem::replace(&mut pairs[at].1, Json::Null);
                        pairs[at].1 = merge(old, value);
                    }
                    None => pairs.push((key.clone(), value.clone())),
                }
            }
            Json::Object(pairs)
        }
        (_, over) => over.clone(),
    }
}

/// What the templates of a backend may name, and where the URLs may go.
struct Scope<'a> {
    params: &'a [(String, String)],
    kept: &'a [String],
    development: bool,
}

fn read(value: &Json, development: bool) -> Result<Adapter, ConfigError> {
    let fields = Fields::new(
        value.as_object().unwrap_or_default(),
        "backend.",
        BACKEND_FIELDS,
    )?;
    let base_url = match fields.get("base_url") {
        None => String::new(),
        Some(v) => v
            .as_str()
            .filter(|url| !text::contains(url, "{{"))
            .map(|url| url.trim_end_matches('/').to_string())
            .ok_or_else(|| invalid("backend.base_url", "a URL prefix without {{…}}", v))?,
    };
    let params = string_map(&fields, "params", "backend.params")?;
    let channel_names = string_map(&fields, "channel_names", "backend.channel_names")?;
    let timeout_s = match fields.get("timeout") {
        None => DEFAULT_TIMEOUT_S,
        Some(v) => v
            .as_u64()
            .filter(|s| (1..=MAX_TIMEOUT_S).contains(s))
            .ok_or_else(|| {
                invalid(
                    "backend.timeout",
                    "a whole number of seconds from 1 to 120",
                    v,
                )
            })?,
    };
    // `sent.*` names come from what the send steps keep.
    let mut kept = Vec::new();
    for name in ["send", "resend"] {
        if let Some(keep) = fields
            .get(name)
            .and_then(|step| step.get("keep"))
            .and_then(Json::as_object)
        {
            kept.extend(keep.iter().map(|(k, _)| k.clone()));
        }
    }
    let scope = Scope {
        params: &params,
        kept: &kept,
        development,
    };
    let headers = string_map(&fields, "headers", "backend.headers")?;
    for (name, value) in &headers {
        let token = !name.is_empty()
            && name
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_".contains(&b));
        if !token {
            return Err(invalid(
                "backend.headers",
                "header names of letters, digits and -",
                &Json::from(name.as_str()),
            ));
        }
        // Headers go with every request, checks included: they may carry the code only where a
        // check's do, so none may.
        check_template(
            &format!("backend.headers.{name}"),
            value,
            &scope,
            Place::Send,
        )?;
    }
    let step = |name: &str, request| match fields.get(name) {
        Some(v) => step(&format!("backend.{name}"), v, request, &base_url, &scope).map(Some),
        None => Ok(None),
    };
    let send = step("send", Request::Send)?;
    let resend = step("resend", Request::Send)?;
    let check = step("check", Request::Check)?;
    let missing = |name: &str| invalid(&format!("backend.{name}"), "a step", &Json::Null);
    Ok(Adapter {
        send: send.ok_or_else(|| missing("send"))?,
        resend,
        check: check.ok_or_else(|| missing("check"))?,
        base_url,
        params,
        headers,
        timeout_s,
        channel_names,
    })
}

/// An object of strings (`params`, `headers`, `channel_names`).
fn string_map(
    fields: &Fields<'_>,
    name: &str,
    field: &str,
) -> Result<Vec<(String, String)>, ConfigError> {
    let mut map = Vec::new();
    let Some(value) = fields.get(name) else {
        return Ok(map);
    };
    let expected = "an object of strings like {\"name\": \"value\"}";
    for (key, v) in value
        .as_object()
        .ok_or_else(|| invalid(field, expected, value))?
    {
        let text = v
            .as_str()
            .ok_or_else(|| invalid(&format!("{field}.{key}"), "a string", v))?;
        map.push((key.clone(), text.to_string()));
    }
    Ok(map)
}

fn step(
    field: &str,
    value: &Json,
    request: Request,
    base_url: &str,
    scope: &Scope<'_>,
) -> Result<Step, ConfigError> {
    let pairs = value
        .as_object()
        .ok_or_else(|| invalid(field, "an object with url, body, read and outcome", value))?;
    let fields = Fields::new(pairs, &format!("{field}."), STEP_FIELDS)?;
    let at = |name: &str| format!("{field}.{name}");
    let url = match fields.get("url") {
        Some(Json::String(url)) => url.clone(),
        other => {
            return Err(invalid(
                &at("url"),
                "a URL template like \"/api/verification\"",
                other.unwrap_or(&Json::Null),
            ))
        }
    };
    check_url(&at("url"), &url, base_url, scope)?;
    let method = match fields.get("method").map(|m| (m, m.as_str())) {
        None => Method::Post,
        Some((_, Some("POST"))) => Method::Post,
        Some((_, Some("PUT"))) => Method::Put,
        Some((_, Some("GET"))) => Method::Get,
        Some((v, _)) => return Err(invalid(&at("method"), "\"POST\", \"PUT\" or \"GET\"", v)),
    };
    let encoding = match fields.get("encoding").map(|e| (e, e.as_str())) {
        None => Encoding::Json,
        Some((_, Some("json"))) => Encoding::Json,
        Some((_, Some("form"))) => Encoding::Form,
        Some((_, Some("query"))) => Encoding::Query,
        Some((v, _)) => {
            return Err(invalid(
                &at("encoding"),
                "\"json\", \"form\" or \"query\"",
                v,
            ))
        }
    };
    let body = fields.get("body").cloned();
    if let Some(body) = &body {
        let in_query = encoding == Encoding::Query || method == Method::Get;
        let place = match request {
            _ if in_query => Place::Url,
            Request::Send => Place::Send,
            Request::Check => Place::Check,
        };
        check_body(
            &at("body"),
            body,
            encoding != Encoding::Json || in_query,
            scope,
            place,
        )?;
    }
    let read = reads(&at("read"), fields.get("read"), request)?;
    let mut keep = Vec::new();
    if let Some(v) = fields.get("keep") {
        if request == Request::Check {
            return Err(invalid(
                &at("keep"),
                "absent: only send answers are kept",
                v,
            ));
        }
        let expected = "an object like {\"name\": \"/pointer\"}";
        for (name, p) in v
            .as_object()
            .ok_or_else(|| invalid(&at("keep"), expected, v))?
        {
            keep.push((name.clone(), pointer(&format!("{field}.keep.{name}"), p)?));
        }
    }
    let outcome = outcomes(&at("outcome"), fields.get("outcome"), request)?;
    let retry_after = pointers(&at("retry_after"), fields.get("retry_after"))?;
    Ok(Step {
        url,
        method,
        encoding,
        body,
        read,
        keep,
        outcome,
        retry_after,
    })
}

/// A URL template: its origin written out (no `{{…}}` before the path), same-origin or `https:`
/// (plain `http:` on loopback in development), every name known.
fn check_url(field: &str, url: &str, base_url: &str, scope: &Scope<'_>) -> Result<(), ConfigError> {
    let joined = if text::contains(url, "://") {
        url.to_string()
    } else {
        format!("{base_url}{url}")
    };
    let expected = "a path or an https:// URL whose host is written out";
    let value = || Json::from(url);
    // The origin (scheme, host, port) is written out: no `{{…}}` before the path.
    let origin = text::split_once(&joined, "://")
        .map_or("", |(_, rest)| rest.split('/').next().unwrap_or(rest));
    if text::contains(origin, "{{") {
        return Err(invalid(field, expected, &value()));
    }
    let shape = text::replace(&text::replace(&joined, "{{", "x"), "}}", "x");
    let allowed = match Endpoint::parse(&shape) {
        Some(Endpoint::Absolute(a)) if scope.development && a.scheme == "http" => {
            is_loopback(&a.host)
        }
        Some(endpoint) => endpoint.is_same_origin_or_https(),
        None => false,
    };
    if !allowed {
        return Err(invalid(field, expected, &value()));
    }
    check_template(field, url, scope, Place::Url)
}

/// Where a template stands, for what it may name: the code only in a body or a header of a
/// check, never in a URL.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Place {
    /// A URL, or a body sent in the query.
    Url,
    /// A body or a header of a send.
    Send,
    /// A body or a header of a check.
    Check,
}

/// Every name a template uses is one the widget knows when the step is sent.
fn check_template(
    field: &str,
    text: &str,
    scope: &Scope<'_>,
    place: Place,
) -> Result<(), ConfigError> {
    let value = || Json::from(text);
    let names = template::names(text)
        .map_err(|_| invalid(field, "a template whose {{ are closed by }}", &value()))?;
    for name in names {
        if name == "code" && place != Place::Check {
            return Err(invalid(
                field,
                "a template without {{code}} here: the code goes only in a check's body or headers, never in a URL",
                &value(),
            ));
        }
        if let Some(("params", key)) = name.split_once('.') {
            if !scope.params.iter().any(|(k, _)| k == key) {
                return Err(ConfigError::Missing {
                    field: format!("backend.params.{key}"),
                    needed_by: field.to_string(),
                });
            }
            continue;
        }
        let known = match name.split_once('.') {
            Some(("sent", key)) => scope.kept.iter().any(|k| k == key),
            Some(("meta" | "cookie", key)) => !key.is_empty(),
            Some(_) => false,
            None => matches!(
                name,
                "destination" | "channel" | "context" | "locale" | "verification_id" | "code"
            ),
        };
        if !known {
            return Err(invalid(
                field,
                "a template naming destination, channel, context, locale, code, verification_id, or a configured params.*, sent.*, or meta.* / cookie.*",
                &value(),
            ));
        }
    }
    Ok(())
}

/// A body template: its strings checked; flat (strings, numbers, booleans) for form and query.
fn check_body(
    field: &str,
    body: &Json,
    flat: bool,
    scope: &Scope<'_>,
    place: Place,
) -> Result<(), ConfigError> {
    match body {
        Json::String(text) => check_template(field, text, scope, place),
        Json::Object(pairs) => pairs.iter().try_for_each(|(key, value)| {
            let field = format!("{field}.{key}");
            if flat && matches!(value, Json::Object(_) | Json::Array(_)) {
                return Err(invalid(
                    &field,
                    "a string, number or boolean (form and query bodies are flat)",
                    value,
                ));
            }
            // A member that is one `{{params.x}}` is optional: left out when `x` is not given.
            let optional = value
                .as_str()
                .and_then(template::whole_name)
                .is_some_and(|name| name.starts_with("params."));
            if optional {
                return Ok(());
            }
            check_body(&field, value, flat, scope, place)
        }),
        Json::Array(items) if !flat => items
            .iter()
            .try_for_each(|item| check_body(field, item, flat, scope, place)),
        Json::Array(_) => Err(invalid(
            field,
            "an object (form and query bodies are flat)",
            body,
        )),
        _ if flat => Err(invalid(field, "an object of fields", body)),
        _ => Ok(()),
    }
}
