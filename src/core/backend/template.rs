//! Templates of the adapter's requests: `{{name}}` in a string stands for a value the widget
//! knows when it sends (`destination`, `channel`, `context`, `locale`, `code`, `verification_id`, `params.*`,
//! `sent.*`, `meta.*`, `cookie.*`). Plain substitution, no expressions: a config cannot run code.
//!
//! In a JSON body a string that is exactly one `{{name}}` keeps the value's JSON type (a number
//! stays a number); elsewhere values are written as text. In a URL each value is
//! percent-encoded, so a value can never add a path segment, a query or another host.

use crate::core::json::Json;
use crate::core::text;

/// What the page says for a template's `meta.NAME` (a `<meta name>`'s content, for CSRF tokens)
/// or `cookie.NAME`, asked as `(kind, name)` when a request is built; the shell reads the page,
/// tests and the doctor answer from a table or with nothing.
pub type PageValues<'a> = &'a dyn Fn(&str, &str) -> Option<String>;

/// A page with no `<meta>` and no cookie (the doctor, tests).
pub fn no_page_values(_kind: &str, _name: &str) -> Option<String> {
    None
}

/// The values a request's templates may name, gathered when it is sent.
#[derive(Clone, Copy)]
pub struct Vars<'a> {
    /// Where the code goes.
    pub destination: Option<&'a str>,
    /// The delivery channel.
    pub channel: &'a str,
    /// The page's order or cart id (`context`), on a verification's first send.
    pub context: Option<&'a str>,
    /// The shopper's language (`locale`), on a send.
    pub locale: Option<&'a str>,
    /// The code the shopper entered (check only).
    pub code: Option<&'a str>,
    /// The verification's id, or the destination where a backend has none.
    pub verification_id: Option<&'a str>,
    /// The adapter's `params`.
    pub params: &'a [(String, String)],
    /// Values kept from the send answer (`keep`).
    pub sent: &'a [(String, Json)],
    /// What the page says for `meta.*` and `cookie.*`.
    pub page: PageValues<'a>,
}

impl Vars<'_> {
    /// The value `name` stands for, `None` when the widget does not know it (yet).
    pub fn get(&self, name: &str) -> Option<Json> {
        let text = |value: Option<&str>| value.map(Json::from);
        let find = |list: &[(String, String)], key: &str| {
            list.iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| Json::from(v.as_str()))
        };
        match name.split_once('.') {
            Some(("params", key)) => find(self.params, key),
            Some((kind @ ("meta" | "cookie"), key)) => (self.page)(kind, key).map(Json::from),
            Some(("sent", key)) => self
                .sent
                .iter()
                .find(|(k, _)| k == key)
                .map(|(_, v)| v.clone()),
            Some(_) => None,
            None => match name {
                "destination" => text(self.destination),
                "channel" => Some(self.channel.into()),
                "context" => text(self.context),
                "locale" => text(self.locale),
                "code" => text(self.code),
                "verification_id" => text(self.verification_id),
                _ => None,
            },
        }
    }
}

/// A template with a `{{` that no `}}` closes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Unclosed;

/// Every name `template` uses, in order; an error when a `{{` is not closed.
pub fn names(template: &str) -> Result<Vec<&str>, Unclosed> {
    let mut names = Vec::new();
    let mut rest = template;
    while let Some((_, after)) = text::split_once(rest, "{{") {
        let (name, tail) = text::split_once(after, "}}").ok_or(Unclosed)?;
        names.push(name.trim());
        rest = tail;
    }
    Ok(names)
}

/// `template` with each `{{name}}` replaced by its value written with `write` (a missing value
/// writes nothing).
fn fill(template: &str, vars: &Vars<'_>, write: impl Fn(&Json, &mut String)) -> String {
    let mut out = String::with_capacity(template.len());
    let mut rest = template;
    while let Some((before, after)) = text::split_once(rest, "{{") {
        out.push_str(before);
        let Some((name, tail)) = text::split_once(after, "}}") else {
            // Refused at mount; written as it stands if it ever gets here.
            out.push_str("{{");
            out.push_str(after);
            return out;
        };
        if let Some(value) = vars.get(name.trim()) {
            write(&value, &mut out);
        }
        rest = tail;
    }
    out.push_str(rest);
    out
}

/// A value as text: a string as it is, anything else as its JSON.
pub fn as_text(value: &Json) -> String {
    match value {
        Json::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// A text template filled in (headers, form and query members).
pub fn text(template: &str, vars: &Vars<'_>) -> String {
    fill(template, vars, |value, out| out.push_str(&as_text(value)))
}

/// A URL template filled in, each value percent-encoded as a path segment or query value.
pub fn url(template: &str, vars: &Vars<'_>) -> String {
    fill(template, vars, |value, out| {
        out.push_str(&percent_encode(&as_text(value), false));
    })
}

/// A JSON body template filled in: strings are templates; a string that is exactly one
/// `{{name}}` takes the value itself — an object member whose value the widget does not know is
/// left out, an array item is `null`.
pub fn json(template: &Json, vars: &Vars<'_>) -> Json {
    match template {
        Json::String(s) => match whole_name(s) {
            Some(name) => vars.get(name).unwrap_or(Json::Null),
            None => Json::String(text(s, vars)),
        },
        Json::Array(items) => Json::Array(items.iter().map(|item| json(item, vars)).collect()),
        // A member that is exactly one name the widget does not know is left out, so a backend
        // never meets a `null` it did not expect (an optional `params.audience`, say).
        Json::Object(pairs) => Json::Object(
            pairs
                .iter()
                .filter(|(_, value)| match value {
                    Json::String(s) => whole_name(s).is_none_or(|name| vars.get(name).is_some()),
                    _ => true,
                })
                .map(|(key, value)| (key.clone(), json(value, vars)))
                .collect(),
        ),
        other => other.clone(),
    }
}

/// The name when `template` is exactly one `{{name}}`.
pub fn whole_name(template: &str) -> Option<&str> {
    let inner = template.strip_prefix("{{")?.strip_suffix("}}")?;
    (!text::contains(inner, "{{") && !text::contains(inner, "}}")).then(|| inner.trim())
}

/// The cookie `name` from a `Cookie` header (`document.cookie`): `a=1; b=2`. The value is taken
/// as it stands, percent-encoding and all; a name given twice gives its first value.
pub fn cookie(header: &str, name: &str) -> Option<String> {
    header.split(';').find_map(|pair| {
        let (key, value) = pair.split_once('=')?;
        (key.trim() == name).then(|| value.trim().to_string())
    })
}

/// `text` percent-encoded: everything but RFC 3986's unreserved characters; with `form`, a
/// space is `+` (`application/x-www-form-urlencoded`).
pub fn percent_encode(text: &str, form: bool) -> String {
    const HEX: &[u8; 16] = b"0123456789ABCDEF";
    let mut out = String::with_capacity(text.len());
    for byte in text.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(byte));
            }
            b' ' if form => out.push('+'),
            _ => {
                out.push('%');
                out.push(char::from(HEX[usize::from(byte >> 4)]));
                out.push(char::from(HEX[usize::from(byte & 15)]));
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn vars() -> Vars<'static> {
        static PARAMS: [(String, String); 0] = [];
        Vars {
            destination: Some("+1 415 555 0123"),
            channel: "sms",
            context: None,
            locale: None,
            code: Some("012345"),
            verification_id: Some("VE/1?x=y"),
            params: &PARAMS,
            sent: &[],
            page: &no_page_values,
        }
    }

    #[test]
    fn names_are_read_and_unclosed_ones_refused() {
        assert_eq!(
            names("/v2/verify/{{ verification_id }}?k={{params.api_key}}"),
            Ok(vec!["verification_id", "params.api_key"])
        );
        assert_eq!(names("plain"), Ok(vec![]));
        assert_eq!(names("/x/{{code"), Err(Unclosed));
    }

    #[test]
    fn a_whole_name_keeps_the_values_type_and_text_is_substituted() {
        let params = [("api_key".to_string(), "k 1".to_string())];
        let sent = [("session".to_string(), Json::from(42u64))];
        let vars = Vars {
            params: &params,
            sent: &sent,
            ..vars()
        };
        let body = Json::parse(
            r#"{"to":"{{destination}}","n":"{{sent.session}}","msg":"code {{code}} via {{channel}}",
                "list":["{{params.api_key}}",true],"missing":"{{meta.csrf}}"}"#,
        )
        .expect("JSON");
        assert_eq!(
            json(&body, &vars).to_string(),
            r#"{"to":"+1 415 555 0123","n":42,"msg":"code 012345 via sms","list":["k 1",true]}"#
        );
    }

    #[test]
    fn cookies_are_read_by_name() {
        let header = "theme=dark; XSRF-TOKEN=a%3Db ; other=1";
        assert_eq!(cookie(header, "XSRF-TOKEN").as_deref(), Some("a%3Db"));
        assert_eq!(cookie(header, "missing"), None);
        assert_eq!(cookie("", "XSRF-TOKEN"), None);
    }

    #[test]
    fn values_in_urls_cannot_leave_their_segment() {
        assert_eq!(
            url(
                "https://relay.example/v2/verify/{{verification_id}}",
                &vars()
            ),
            "https://relay.example/v2/verify/VE%2F1%3Fx%3Dy"
        );
        assert_eq!(percent_encode("a b&c=d/é", true), "a+b%26c%3Dd%2F%C3%A9");
        assert_eq!(percent_encode("a b", false), "a%20b");
    }
}
