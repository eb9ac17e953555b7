//! Reading one field at a time: the names known at each level, and the checks that turn a JSON
//! value into a field or an error naming the field and the value.

use super::ConfigError;
use crate::core::backend::CODE_LENGTHS;
use crate::core::json::Json;
use crate::core::url::host::is_loopback;
use crate::core::url::Endpoint;

/// The longest wait a page may configure, in seconds.
pub(super) const MAX_SECONDS: u64 = 24 * 60 * 60;

/// An object's fields, checked against the names accepted at that level.
pub(super) struct Fields<'a>(pub(super) &'a [(String, Json)]);

impl<'a> Fields<'a> {
    pub(super) fn new(
        pairs: &'a [(String, Json)],
        prefix: &str,
        known: &'static str,
    ) -> Result<Self, ConfigError> {
        let mut keys = pairs.iter().map(|(k, _)| k);
        if let Some(unknown) =
            keys.find(|k| !known.split(',').any(|n| n.trim_start() == k.as_str()))
        {
            return Err(ConfigError::Unknown {
                field: format!("{prefix}{unknown}"),
                known,
            });
        }
        Ok(Self(pairs))
    }

    /// The field's value; `null` counts as absent so a page can spell out "use the default".
    pub(super) fn get(&self, name: &str) -> Option<&'a Json> {
        self.0
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v)
            .filter(|v| !v.is_null())
    }
}

pub(super) fn invalid(field: &str, expected: &'static str, value: &Json) -> ConfigError {
    ConfigError::Invalid {
        field: field.into(),
        expected,
        value: value.to_string(),
    }
}

pub(super) fn non_empty_text(field: &str, value: &Json) -> Result<String, ConfigError> {
    match value.as_str().map(str::trim) {
        Some(text) if !text.is_empty() => Ok(text.to_string()),
        _ => Err(invalid(field, "a non-empty string", value)),
    }
}

/// A whole number of seconds from `min` to a day.
pub(super) fn seconds(field: &str, value: &Json, min: u64) -> Result<u64, ConfigError> {
    value
        .as_u64()
        .filter(|n| (min..=MAX_SECONDS).contains(n))
        .ok_or_else(|| {
            let expected = if min == 0 {
                "a whole number of seconds from 0 to 86400"
            } else {
                "a whole number of seconds from 1 to 86400"
            };
            invalid(field, expected, value)
        })
}

pub(super) fn code_length(field: &str, value: &Json) -> Result<u8, ConfigError> {
    value
        .as_u64()
        .and_then(|n| u8::try_from(n).ok())
        .filter(|n| CODE_LENGTHS.contains(n))
        .ok_or_else(|| invalid(field, "a whole number from 4 to 10", value))
}

/// An endpoint is a same-origin path (`/api/...`) or an absolute `https://` URL (see
/// [`Endpoint`]); in development also a plain `http://` URL on a loopback host. Scheme-relative
/// (`//host`) and other schemes are refused: the code must never travel in clear or to a host the
/// page did not name explicitly.
pub(super) fn endpoint(
    field: &str,
    value: &Json,
    development: bool,
) -> Result<String, ConfigError> {
    let allowed = |endpoint: Endpoint| match endpoint {
        Endpoint::Absolute(a) if development && a.scheme == "http" => is_loopback(&a.host),
        endpoint => endpoint.is_same_origin_or_https(),
    };
    let expected = if development {
        "a path starting with /, an https:// URL, or an http:// URL on a loopback host"
    } else {
        "a path starting with / or an https:// URL"
    };
    value
        .as_str()
        .filter(|text| Endpoint::parse(text).is_some_and(allowed))
        .map(str::to_string)
        .ok_or_else(|| invalid(field, expected, value))
}
