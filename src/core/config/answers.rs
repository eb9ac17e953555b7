//! What a step of the adapter reads from its answer (`read`, JSON pointers) and how it classifies
//! it (`outcome`: rules, statuses, error codes, HTTP statuses), read from the config with every
//! wrong value named by its field.

use super::fields::{invalid, Fields};
use super::ConfigError;
use crate::core::backend::adapter::{Outcomes, Reads, Rule, Test, Verdict};
use crate::core::backend::pointer::Pointer;
use crate::core::backend::Request;
use crate::core::json::Json;

const SEND_READS: &str = "verification_id, expires_in, expires_at, resend_in, sends_remaining, code_length, destination_hint";
const CHECK_READS: &str = "token, attempts_remaining";
const OUTCOME_FIELDS: &str = "rules, status, statuses, codes, errors, http";
const RULE_FIELDS: &str = "pointer, equals, contains, outcome";
const POINTER: &str = "a JSON pointer like \"/token\"";

pub(super) fn pointer(field: &str, value: &Json) -> Result<Pointer, ConfigError> {
    value
        .as_str()
        .and_then(Pointer::parse)
        .ok_or_else(|| invalid(field, POINTER, value))
}

pub(super) fn pointers(field: &str, value: Option<&Json>) -> Result<Vec<Pointer>, ConfigError> {
    let mut list = Vec::new();
    let Some(value) = value else {
        return Ok(list);
    };
    let expected = "a list of JSON pointers like [\"/retry_after\"]";
    for item in value
        .as_array()
        .ok_or_else(|| invalid(field, expected, value))?
    {
        list.push(pointer(field, item)?);
    }
    Ok(list)
}

pub(super) fn reads(
    field: &str,
    value: Option<&Json>,
    request: Request,
) -> Result<Reads, ConfigError> {
    let mut read = Reads::default();
    let Some(value) = value else {
        return Ok(read);
    };
    let pairs = value
        .as_object()
        .ok_or_else(|| invalid(field, "an object of JSON pointers", value))?;
    let known = match request {
        Request::Send => SEND_READS,
        Request::Check => CHECK_READS,
    };
    let fields = Fields::new(pairs, &format!("{field}."), known)?;
    let slots: [(&str, &mut Option<Pointer>); 9] = [
        ("verification_id", &mut read.verification_id),
        ("expires_in", &mut read.expires_in),
        ("expires_at", &mut read.expires_at),
        ("resend_in", &mut read.resend_in),
        ("sends_remaining", &mut read.sends_remaining),
        ("code_length", &mut read.code_length),
        ("destination_hint", &mut read.destination_hint),
        ("token", &mut read.token),
        ("attempts_remaining", &mut read.attempts_remaining),
    ];
    for (name, slot) in slots {
        if let Some(v) = fields.get(name) {
            *slot = Some(pointer(&format!("{field}.{name}"), v)?);
        }
    }
    Ok(read)
}

fn verdict(field: &str, value: &Json, request: Request) -> Result<Verdict, ConfigError> {
    let expected = match request {
        Request::Send => "an outcome of a send: sent, throttled, send_limit, invalid_destination, blocked or error",
        Request::Check => "an outcome of a check: verified, invalid, invalid_or_expired, expired, locked, throttled, blocked or error",
    };
    value
        .as_str()
        .and_then(Verdict::from_name)
        .filter(|verdict| verdict.fits(request))
        .ok_or_else(|| invalid(field, expected, value))
}

/// `{"value": outcome}` tables (`statuses`, `errors`).
fn table(
    field: &str,
    value: Option<&Json>,
    request: Request,
) -> Result<Vec<(String, Verdict)>, ConfigError> {
    let mut table = Vec::new();
    let Some(value) = value else {
        return Ok(table);
    };
    let expected = "an object like {\"value\": \"outcome\"}";
    for (key, v) in value
        .as_object()
        .ok_or_else(|| invalid(field, expected, value))?
    {
        table.push((key.clone(), verdict(&format!("{field}.{key}"), v, request)?));
    }
    Ok(table)
}

pub(super) fn outcomes(
    field: &str,
    value: Option<&Json>,
    request: Request,
) -> Result<Outcomes, ConfigError> {
    let Some(value) = value else {
        return Ok(Outcomes::default());
    };
    let pairs = value
        .as_object()
        .ok_or_else(|| invalid(field, "an object with rules, status, codes or http", value))?;
    let fields = Fields::new(pairs, &format!("{field}."), OUTCOME_FIELDS)?;
    let at = |name: &str| format!("{field}.{name}");
    let mut rules = Vec::new();
    if let Some(v) = fields.get("rules") {
        let items = v
            .as_array()
            .ok_or_else(|| invalid(&at("rules"), "a list of rules", v))?;
        for (i, item) in items.iter().enumerate() {
            rules.push(rule(&format!("{field}.rules.{i}"), item, request)?);
        }
    }
    let status = fields
        .get("status")
        .map(|v| pointer(&at("status"), v))
        .transpose()?;
    let mut http = Vec::new();
    if let Some(v) = fields.get("http") {
        let expected = "an object like {\"422\": \"invalid\"}";
        for (code, outcome) in v
            .as_object()
            .ok_or_else(|| invalid(&at("http"), expected, v))?
        {
            let field = format!("{field}.http.{code}");
            let status = code
                .parse::<u16>()
                .ok()
                .filter(|s| (100..600).contains(s))
                .ok_or_else(|| {
                    invalid(
                        &field,
                        "keyed by an HTTP status",
                        &Json::from(code.as_str()),
                    )
                })?;
            http.push((status, verdict(&field, outcome, request)?));
        }
    }
    Ok(Outcomes {
        rules,
        status,
        statuses: table(&at("statuses"), fields.get("statuses"), request)?,
        codes: pointers(&at("codes"), fields.get("codes"))?,
        errors: table(&at("errors"), fields.get("errors"), request)?,
        http,
    })
}

fn rule(field: &str, value: &Json, request: Request) -> Result<Rule, ConfigError> {
    let expected =
        "a rule like {\"pointer\": \"/error\", \"equals\": \"x\", \"outcome\": \"invalid\"}";
    let pairs = value
        .as_object()
        .ok_or_else(|| invalid(field, expected, value))?;
    let fields = Fields::new(pairs, &format!("{field}."), RULE_FIELDS)?;
    let text = |v: &Json| match v {
        Json::String(s) => Some(s.clone()),
        Json::Number(_) | Json::Bool(_) => Some(v.to_string()),
        _ => None,
    };
    let test = match (fields.get("equals"), fields.get("contains")) {
        (Some(v), None) => Test::Equals(text(v).ok_or_else(|| invalid(field, expected, value))?),
        (None, Some(v)) => Test::Contains(text(v).ok_or_else(|| invalid(field, expected, value))?),
        _ => return Err(invalid(field, expected, value)),
    };
    let pointer = self::pointer(
        &format!("{field}.pointer"),
        fields.get("pointer").unwrap_or(&Json::Null),
    )?;
    let verdict = verdict(
        &format!("{field}.outcome"),
        fields.get("outcome").unwrap_or(&Json::Null),
        request,
    )?;
    Ok(Rule {
        pointer,
        test,
        verdict,
    })
}
