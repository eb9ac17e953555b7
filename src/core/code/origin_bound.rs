//! The origin-bound last line of a verification SMS (WICG sms-one-time-codes):
//! `@shop.example #123456`, optionally followed by ` @embedded.example` for a framed checkout. It
//! names the site the code is for, so a code pasted into a copy of the store can be refused.

use crate::core::url::host::{is_domain_name, is_within};

/// A parsed origin-bound line.
pub struct OriginBound<'a> {
    top: &'a str,
    /// The code, as written after `#`.
    pub code: &'a str,
    embedded: Option<&'a str>,
}

impl OriginBound<'_> {
    /// Whether the page may take this code: its host is the bound host (for a framed widget the
    /// embedded host), or a subdomain of it.
    pub fn allows(&self, page_host: &str) -> bool {
        is_within(page_host, self.host())
    }

    /// The host the page is measured against: the embedded one when the line names one.
    pub fn host(&self) -> &str {
        self.embedded.unwrap_or(self.top)
    }
}

/// Parses the last non-empty line as `@host #code` with an optional ` @embedded-host`; exactly
/// one space between fields, no scheme, port or path in hosts, trailing fields ignored.
pub fn parse(text: &str) -> Option<OriginBound<'_>> {
    let text = text.trim_end_matches(|c: char| c.is_ascii_whitespace());
    let line = text.rsplit('\n').next()?.trim_end_matches('\r');
    let (top, rest) = line.strip_prefix('@')?.split_once(' ')?;
    let (code, rest) = rest.split_once(' ').unwrap_or((rest, ""));
    let code = code.strip_prefix('#').filter(|c| !c.is_empty())?;
    let embedded = match rest.split(' ').next().and_then(|f| f.strip_prefix('@')) {
        Some(host) if !is_domain_name(host) => return None,
        embedded => embedded,
    };
    is_domain_name(top).then_some(OriginBound {
        top,
        code,
        embedded,
    })
}
