//! JSON Pointers (RFC 6901): `/error/message`, `/errors/0/code`, `` (the whole document). The
//! adapter reads every value it needs from a backend's answer through one.

use crate::core::json::Json;

/// A parsed JSON Pointer: its reference tokens, unescaped (`~1` is `/`, `~0` is `~`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Pointer(Vec<String>);

impl Pointer {
    /// Reads `text` as a JSON Pointer; `None` unless it is empty or starts with `/` and every `~`
    /// is followed by `0` or `1`.
    pub fn parse(text: &str) -> Option<Self> {
        if text.is_empty() {
            return Some(Self(Vec::new()));
        }
        let mut tokens = Vec::new();
        for token in text.strip_prefix('/')?.split('/') {
            let mut out = String::with_capacity(token.len());
            let mut chars = token.chars();
            while let Some(c) = chars.next() {
                if c != '~' {
                    out.push(c);
                    continue;
                }
                match chars.next() {
                    Some('0') => out.push('~'),
                    Some('1') => out.push('/'),
                    _ => return None,
                }
            }
            tokens.push(out);
        }
        Some(Self(tokens))
    }

    /// The value this pointer names in `document`, if there is one. An array index is a
    /// decimal number without leading zeros.
    pub fn get<'a>(&self, document: &'a Json) -> Option<&'a Json> {
        self.0
            .iter()
            .try_fold(document, |value, token| match value {
                Json::Object(pairs) => pairs.iter().find(|(k, _)| k == token).map(|(_, v)| v),
                Json::Array(items) => {
                    let canonical = (token == "0" || !token.starts_with('0'))
                        && token.bytes().all(|b| b.is_ascii_digit());
                    let index: usize = token.parse().ok().filter(|_| canonical)?;
                    items.get(index)
                }
                _ => None,
            })
    }
}

/// The pointer as written in a config: `/error/message`, with `~0` and `~1` escapes.
impl std::fmt::Display for Pointer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for token in &self.0 {
            write!(f, "/{}", token.replace('~', "~0").replace('/', "~1"))?;
        }
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc() -> Json {
        Json::parse(
            r#"{"error":{"code":400,"message":"INVALID_CODE","errors":[{"reason":"x"}]},
                "a/b":1,"m~n":2,"":3,"list":[10,20]}"#,
        )
        .expect("JSON")
    }

    #[test]
    fn pointers_follow_rfc_6901() {
        let doc = doc();
        let at = |p: &str| Pointer::parse(p).expect("a pointer").get(&doc).cloned();
        assert_eq!(at("/error/message"), Some("INVALID_CODE".into()));
        assert_eq!(at("/error/code"), Some(Json::Number("400".into())));
        assert_eq!(at("/error/errors/0/reason"), Some("x".into()));
        assert_eq!(at("/a~1b"), Some(Json::Number("1".into())));
        assert_eq!(at("/m~0n"), Some(Json::Number("2".into())));
        assert_eq!(at("/"), Some(Json::Number("3".into())));
        assert_eq!(at("/list/1"), Some(Json::Number("20".into())));
        assert_eq!(at(""), Some(doc.clone()));
        for missing in [
            "/nope",
            "/list/2",
            "/list/01",
            "/list/-",
            "/error/message/x",
            "/list/+1",
        ] {
            assert_eq!(at(missing), None, "{missing}");
        }
    }

    #[test]
    fn malformed_pointers_are_refused() {
        for bad in ["token", "error/message", "/a~2b", "/a~", "#/token"] {
            assert_eq!(Pointer::parse(bad), None, "{bad}");
        }
    }
}
