//! A small JSON reader and writer for the widget's few, small documents (its config, the verify
//! API's bodies, event details).
//!
//! Why not serde_json in the browser: it and the float formatting it drags in cost 9.0 KiB gzip
//! of the package (re-measured with `make package` once the adapter was in: 133.4 KiB against
//! 142.4 KiB with serde_json's `Value`, in key order, behind the same API), for documents of a
//! dozen fields. Nor the browser's `JSON.parse`: it takes the last of a key given twice, where an
//! answer that says two things must say nothing. Numbers are kept as written and read back only
//! as whole numbers, which is all these documents hold. Rust backends can still use the serde
//! derives on [`crate::core::backend::reference`] types.

use std::fmt::{self, Write};

/// A JSON value. Objects keep their keys in document order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Json {
    /// `null`
    Null,
    /// `true` or `false`
    Bool(bool),
    /// A number, as written in the document (validated JSON number syntax).
    Number(String),
    /// A string, unescaped.
    String(String),
    /// An array.
    Array(Vec<Json>),
    /// An object: key/value pairs in document order.
    Object(Vec<(String, Json)>),
}

/// Why a text is not JSON; the message says where.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("not valid JSON: {what} at byte {at}")]
pub struct JsonError {
    what: &'static str,
    at: usize,
}

/// Deeper documents are refused, so hostile input cannot exhaust the stack.
const MAX_DEPTH: usize = 32;
/// Objects with more members are refused, so the check for repeated keys stays cheap.
const MAX_MEMBERS: usize = 256;

impl Json {
    /// Parses a complete JSON text (surrounding white space allowed).
    pub fn parse(text: &str) -> Result<Json, JsonError> {
        let mut parser = Parser {
            bytes: text.as_bytes(),
            at: 0,
        };
        let value = parser.value(0)?;
        parser.space();
        if parser.at != parser.bytes.len() {
            return Err(parser.error("trailing characters"));
        }
        Ok(value)
    }

    /// An object from key/value pairs.
    pub fn object<const N: usize>(pairs: [(&str, Json); N]) -> Json {
        Json::Object(pairs.into_iter().map(|(k, v)| (k.to_string(), v)).collect())
    }

    /// The member `key` of an object; `None` otherwise. (A parsed object never repeats a key.)
    pub fn get(&self, key: &str) -> Option<&Json> {
        match self {
            Json::Object(pairs) => pairs.iter().find(|(k, _)| k == key).map(|(_, v)| v),
            _ => None,
        }
    }

    /// The text of a string value.
    pub fn as_str(&self) -> Option<&str> {
        match self {
            Json::String(s) => Some(s),
            _ => None,
        }
    }

    /// A boolean value.
    pub fn as_bool(&self) -> Option<bool> {
        match self {
            Json::Bool(b) => Some(*b),
            _ => None,
        }
    }

    /// A number that is a whole, non-negative integer fitting in `u64` (`6`, not `6.0` or `-1`).
    pub fn as_u64(&self) -> Option<u64> {
        match self {
            Json::Number(n) => n.parse().ok(),
            _ => None,
        }
    }

    /// The items of an array.
    pub fn as_array(&self) -> Option<&[Json]> {
        match self {
            Json::Array(items) => Some(items),
            _ => None,
        }
    }

    /// The pairs of an object.
    pub fn as_object(&self) -> Option<&[(String, Json)]> {
        match self {
            Json::Object(pairs) => Some(pairs),
            _ => None,
        }
    }

    /// Whether this is `null`.
    pub fn is_null(&self) -> bool {
        matches!(self, Json::Null)
    }
}

impl From<&str> for Json {
    fn from(s: &str) -> Self {
        Json::String(s.to_string())
    }
}

impl From<String> for Json {
    fn from(s: String) -> Self {
        Json::String(s)
    }
}

impl From<bool> for Json {
    fn from(b: bool) -> Self {
        Json::Bool(b)
    }
}

impl From<u64> for Json {
    fn from(n: u64) -> Self {
        Json::Number(n.to_string())
    }
}

impl From<u32> for Json {
    fn from(n: u32) -> Self {
        Json::from(u64::from(n))
    }
}

impl From<u16> for Json {
    fn from(n: u16) -> Self {
        Json::from(u64::from(n))
    }
}

impl From<u8> for Json {
    fn from(n: u8) -> Self {
        Json::from(u64::from(n))
    }
}

impl<T: Into<Json>> From<Option<T>> for Json {
    fn from(value: Option<T>) -> Self {
        value.map_or(Json::Null, Into::into)
    }
}

impl fmt::Display for Json {
    /// Compact JSON text.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Json::Null => f.write_str("null"),
            Json::Bool(b) => f.write_str(if *b { "true" } else { "false" }),
            Json::Number(n) => f.write_str(n),
            Json::String(s) => write_string(f, s),
            Json::Array(items) => {
                f.write_char('[')?;
                for (i, item) in items.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    item.fmt(f)?;
                }
                f.write_char(']')
            }
            Json::Object(pairs) => {
                f.write_char('{')?;
                for (i, (key, value)) in pairs.iter().enumerate() {
                    if i > 0 {
                        f.write_char(',')?;
                    }
                    write_string(f, key)?;
                    f.write_char(':')?;
                    value.fmt(f)?;
                }
                f.write_char('}')
            }
        }
    }
}

fn write_string(f: &mut fmt::Formatter<'_>, s: &str) -> fmt::Result {
    f.write_char('"')?;
    for c in s.chars() {
        match c {
            '"' => f.write_str("\\\"")?,
            '\\' => f.write_str("\\\\")?,
            '\n' => f.write_str("\\n")?,
            '\r' => f.write_str("\\r")?,
            '\t' => f.write_str("\\t")?,
            c if u32::from(c) < 0x20 => {
                const HEX: &[u8; 16] = b"0123456789abcdef";
                let n = u32::from(c) as usize;
                f.write_str("\\u00")?;
                f.write_char(char::from(HEX[n >> 4]))?;
                f.write_char(char::from(HEX[n & 15]))?;
            }
            c => f.write_char(c)?,
        }
    }
    f.write_char('"')
}

struct Parser<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl Parser<'_> {
    fn error(&self, what: &'static str) -> JsonError {
        JsonError { what, at: self.at }
    }

    fn peek(&self) -> Option<u8> {
        self.bytes.get(self.at).copied()
    }

    fn space(&mut self) {
        while matches!(self.peek(), Some(b' ' | b'\t' | b'\n' | b'\r')) {
            self.at += 1;
        }
    }

    fn literal(&mut self, word: &'static str, value: Json) -> Result<Json, JsonError> {
        if self.bytes[self.at..].starts_with(word.as_bytes()) {
            self.at += word.len();
            Ok(value)
        } else {
            Err(self.error("unknown literal"))
        }
    }

    fn value(&mut self, depth: usize) -> Result<Json, JsonError> {
        if depth > MAX_DEPTH {
            return Err(self.error("nesting too deep"));
        }
        self.space();
        match self.peek() {
            Some(b'{') => self.object(depth),
            Some(b'[') => self.array(depth),
            Some(b'"') => self.string().map(Json::String),
            Some(b't') => self.literal("true", Json::Bool(true)),
            Some(b'f') => self.literal("false", Json::Bool(false)),
            Some(b'n') => self.literal("null", Json::Null),
            Some(b'-' | b'0'..=b'9') => self.number(),
            Some(_) => Err(self.error("unexpected character")),
            None => Err(self.error("unexpected end")),
        }
    }

    fn object(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.members(b'}', |p| {
            if p.peek() != Some(b'"') {
                return Err(p.error("expected a key"));
            }
            let key = p.string()?;
            p.space();
            if p.peek() != Some(b':') {
                return Err(p.error("expected ':'"));
            }
            p.at += 1;
            Ok((key, p.value(depth + 1)?))
        })
        .and_then(|pairs| {
            // An answer that names a member twice says two things: it says nothing. Objects are
            // small (the widget's documents have a dozen members), so a scan of those before
            // each is cheap; past MAX_MEMBERS it would not be, and no such document is ours.
            if pairs.len() > MAX_MEMBERS {
                return Err(self.error("too many members"));
            }
            let repeated = pairs
                .iter()
                .enumerate()
                .any(|(i, (key, _))| pairs[..i].iter().any(|(k, _)| k == key));
            if repeated {
                return Err(self.error("duplicate key"));
            }
            Ok(Json::Object(pairs))
        })
    }

    fn array(&mut self, depth: usize) -> Result<Json, JsonError> {
        self.members(b']', |p| p.value(depth + 1)).map(Json::Array)
    }

    /// The comma-separated members of an object or array, after its opening bracket, up to and
    /// including `close`.
    fn members<T>(
        &mut self,
        close: u8,
        mut member: impl FnMut(&mut Self) -> Result<T, JsonError>,
    ) -> Result<Vec<T>, JsonError> {
        self.at += 1;
        let mut members = Vec::new();
        self.space();
        if self.peek() == Some(close) {
            self.at += 1;
            return Ok(members);
        }
        loop {
            self.space();
            members.push(member(self)?);
            self.space();
            match self.peek() {
                Some(b',') => self.at += 1,
                Some(c) if c == close => {
                    self.at += 1;
                    return Ok(members);
                }
                _ => return Err(self.error("expected ',' or a closing bracket")),
            }
        }
    }

    fn digits(&mut self) -> usize {
        let start = self.at;
        while matches!(self.peek(), Some(b'0'..=b'9')) {
            self.at += 1;
        }
        self.at - start
    }

    fn number(&mut self) -> Result<Json, JsonError> {
        let start = self.at;
        if self.peek() == Some(b'-') {
            self.at += 1;
        }
        let leading_zero = self.peek() == Some(b'0');
        match self.digits() {
            0 => return Err(self.error("expected a digit")),
            n if n > 1 && leading_zero => return Err(self.error("leading zero")),
            _ => {}
        }
        if self.peek() == Some(b'.') {
            self.at += 1;
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        if matches!(self.peek(), Some(b'e' | b'E')) {
            self.at += 1;
            if matches!(self.peek(), Some(b'+' | b'-')) {
                self.at += 1;
            }
            if self.digits() == 0 {
                return Err(self.error("expected a digit"));
            }
        }
        // Only ASCII was consumed, so this slice is on character boundaries.
        let text = String::from_utf8_lossy(&self.bytes[start..self.at]).into_owned();
        Ok(Json::Number(text))
    }

    fn hex4(&mut self) -> Result<u32, JsonError> {
        let digits = self
            .bytes
            .get(self.at..self.at + 4)
            .ok_or_else(|| self.error("short \\u escape"))?;
        let mut value = 0;
        for &d in digits {
            let nibble = char::from(d)
                .to_digit(16)
                .ok_or_else(|| self.error("bad \\u escape"))?;
            value = value * 16 + nibble;
        }
        self.at += 4;
        Ok(value)
    }

    fn string(&mut self) -> Result<String, JsonError> {
        self.at += 1;
        let mut out = Vec::new();
        loop {
            let byte = self
                .peek()
                .ok_or_else(|| self.error("unterminated string"))?;
            self.at += 1;
            match byte {
                b'"' => break,
                b'\\' => {
                    let escape = self
                        .peek()
                        .ok_or_else(|| self.error("unterminated string"))?;
                    self.at += 1;
                    let c = match escape {
                        b'"' => '"',
                        b'\\' => '\\',
                        b'/' => '/',
                        b'b' => '\u{8}',
                        b'f' => '\u{c}',
                        b'n' => '\n',
                        b'r' => '\r',
                        b't' => '\t',
                        b'u' => self.unicode_escape()?,
                        _ => return Err(self.error("bad escape")),
                    };
                    let mut buf = [0; 4];
                    out.extend_from_slice(c.encode_utf8(&mut buf).as_bytes());
                }
                0..=0x1f => return Err(self.error("control character in string")),
                _ => out.push(byte),
            }
        }
        // The input was a &str and escapes were encoded as UTF-8, so this cannot fail.
        String::from_utf8(out).map_err(|_| self.error("invalid UTF-8"))
    }

    fn unicode_escape(&mut self) -> Result<char, JsonError> {
        let first = self.hex4()?;
        let code = if (0xD800..0xDC00).contains(&first) {
            if !self.bytes[self.at..].starts_with(b"\\u") {
                return Err(self.error("lone surrogate"));
            }
            self.at += 2;
            let second = self.hex4()?;
            if !(0xDC00..0xE000).contains(&second) {
                return Err(self.error("lone surrogate"));
            }
            0x10000 + ((first - 0xD800) << 10) + (second - 0xDC00)
        } else {
            first
        };
        char::from_u32(code).ok_or_else(|| self.error("lone surrogate"))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_key_given_twice_is_refused() {
        for bad in [
            r#"{"status":"pending","status":"approved"}"#,
            r#"{"a":1,"b":{"c":1,"c":2}}"#,
            r#"[{"x":1,"y":2,"x":3}]"#,
        ] {
            assert!(Json::parse(bad).is_err(), "accepted {bad}");
        }
        assert!(Json::parse(r#"{"a":{"a":1},"b":[{"a":2},{"a":3}]}"#).is_ok());
        let members = |n: usize| {
            let pairs: Vec<String> = (0..n).map(|i| format!("\"k{i}\":{i}")).collect();
            format!("{{{}}}", pairs.join(","))
        };
        assert!(Json::parse(&members(256)).is_ok());
        assert!(
            Json::parse(&members(257)).is_err(),
            "no document of ours has so many"
        );
    }

    #[test]
    fn parses_every_kind_of_value() {
        let doc =
            Json::parse(r#" {"a": [1, -2.5e3, true, false, null], "b": {"c": "d"}} "#).unwrap();
        assert_eq!(
            doc.get("b").and_then(|b| b.get("c")).and_then(Json::as_str),
            Some("d")
        );
        let Some(Json::Array(items)) = doc.get("a") else {
            panic!("no array")
        };
        assert_eq!(items[0].as_u64(), Some(1));
        assert_eq!(items[1], Json::Number("-2.5e3".into()));
        assert_eq!(items[2].as_bool(), Some(true));
        assert!(items[4].is_null());
    }

    #[test]
    fn whole_numbers_only_read_as_u64() {
        for (text, expected) in [
            ("6", Some(6)),
            ("0", Some(0)),
            ("6.0", None),
            ("-1", None),
            ("1e3", None),
        ] {
            assert_eq!(Json::parse(text).unwrap().as_u64(), expected, "{text}");
        }
        assert_eq!(Json::parse("99999999999999999999").unwrap().as_u64(), None);
    }

    #[test]
    fn unescapes_strings_including_surrogate_pairs() {
        let s = Json::parse(r#""a\"b\\c\/d\n\u00e9\ud83d\ude00\u2022""#).unwrap();
        assert_eq!(s.as_str(), Some("a\"b\\c/d\né😀•"));
        assert_eq!(Json::parse("\"•••\"").unwrap().as_str(), Some("•••"));
    }

    #[test]
    fn refuses_malformed_text() {
        for bad in [
            "",
            "{",
            "}",
            "[1,]",
            "{\"a\"}",
            "{\"a\":}",
            "{a:1}",
            "01",
            "1.",
            "-",
            "1e",
            "tru",
            "\"abc",
            "\"\\x\"",
            "\"\\ud83d\"",
            "\"\\u12\"",
            "\"a\nb\"",
            "[1] 2",
            "NaN",
            "'a'",
        ] {
            assert!(Json::parse(bad).is_err(), "accepted {bad:?}");
        }
    }

    #[test]
    fn refuses_hostile_nesting() {
        let deep = "[".repeat(10_000) + &"]".repeat(10_000);
        assert!(Json::parse(&deep).is_err());
        let ok = "[".repeat(20) + &"]".repeat(20);
        assert!(Json::parse(&ok).is_ok());
    }

    #[test]
    fn writes_compact_escaped_json_that_reads_back() {
        let doc = Json::object([
            ("text", "quote \" slash \\ line\n tab\t bell\u{7} é".into()),
            ("n", 42u64.into()),
            ("none", Option::<u32>::None.into()),
            ("yes", true.into()),
            ("list", Json::Array(vec![1u32.into(), "x".into()])),
        ]);
        let text = doc.to_string();
        assert_eq!(
            text,
            r#"{"text":"quote \" slash \\ line\n tab\t bell\u0007 é","n":42,"none":null,"yes":true,"list":[1,"x"]}"#
        );
        assert_eq!(Json::parse(&text).unwrap(), doc);
    }

    #[test]
    fn members_are_found_by_key_and_missing_is_none() {
        let doc = Json::parse(r#"{"a":1,"c":2}"#).unwrap();
        assert_eq!(doc.get("a").and_then(Json::as_u64), Some(1));
        assert_eq!(doc.get("b"), None);
        assert_eq!(Json::Null.get("a"), None);
    }
}
