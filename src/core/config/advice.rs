//! What a store's developer is told on the console about a config on a page: the shopper reads a
//! plain alert when the gate refuses the page, the developer reads which field to fix.

use super::{Config, NO_ALLOWLIST_WARNING};
use crate::core::guard::{Page, Reason};
use crate::core::url::host::HostPattern;

impl Config {
    /// Sentences for the console: no allowlist at all, and each reason the gate refuses `page`
    /// for, naming the field to change. Empty when there is nothing to say.
    pub fn advice(&self, page: &Page) -> Vec<String> {
        let mut advice = Vec::new();
        if self.allow.is_empty() {
            advice.push(NO_ALLOWLIST_WARNING.to_string());
        }
        let guard = self.guard(page);
        let allowed: Vec<&str> = guard.allow.iter().map(HostPattern::host).collect();
        let allowed = allowed.join(", ");
        // The two a config can cause: a host it leaves out (staging, a new domain), a URL on a
        // host it does not name. (A copy elsewhere, plain http or a stranger's frame are what
        // the gate is for; the shopper's alert says so.)
        let reasons = guard.assess(page).reasons;
        if reasons.contains(&Reason::HostNotAllowed) {
            advice.push(format!(
                "checkout-verify: the widget is turned off on this page: its host `{}` is not in `allow` ({allowed})",
                page.host
            ));
        }
        if reasons.contains(&Reason::EndpointNotAllowed) {
            let steps = [
                "backend.send.url",
                "backend.check.url",
                "backend.resend.url",
            ];
            let report = self.report.iter().map(|url| (&"report", url.clone()));
            for (field, url) in steps.iter().zip(self.backend.urls()).chain(report) {
                if !guard.allows_endpoint(&url, &page.host) {
                    advice.push(format!(
                        "checkout-verify: the widget is turned off on this page: `{field}` ({url}) is on neither this page's origin nor a host in `allow` ({allowed}); add its host to `allow`"
                    ));
                }
            }
        }
        advice
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn advice(config: &str, url: &str) -> Vec<String> {
        let page = Page::at(url).expect("a page");
        Config::from_json(config).expect("a config").advice(&page)
    }

    #[test]
    fn a_config_that_fits_its_page_says_nothing() {
        assert!(advice(r#"{"allow":["shop.example"]}"#, "https://shop.example/pay").is_empty());
    }

    #[test]
    fn each_refusal_names_the_field_to_fix() {
        let none = advice("{}", "https://shop.example/pay");
        assert_eq!(none, [NO_ALLOWLIST_WARNING]);
        let host = advice(
            r#"{"allow":["shop.example"]}"#,
            "https://staging.shop.example/",
        );
        assert!(
            host[0].contains("host `staging.shop.example` is not in `allow` (shop.example)"),
            "{host:?}"
        );
        let endpoint = advice(
            r#"{"allow":["shop.example"],"endpoints":{"verify":"https://api.other.example/check"}}"#,
            "https://shop.example/pay",
        );
        assert_eq!(endpoint.len(), 1, "{endpoint:?}");
        assert!(
            endpoint[0].contains("`backend.check.url` (https://api.other.example/check)"),
            "{endpoint:?}"
        );
        let copy = advice(r#"{"allow":["shop.example"]}"#, "http://shop.example/");
        assert!(
            copy.is_empty(),
            "plain http is the gate's to refuse: {copy:?}"
        );
    }
}
