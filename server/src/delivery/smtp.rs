//! `smtp://HOST:PORT?from=ADDRESS` and `smtps://HOST:PORT?from=ADDRESS`: e-mail through the
//! store's mail server, with lettre. `smtp://` upgrades to TLS with STARTTLS when the server
//! offers it; `smtps://` speaks TLS from the first byte. Credentials come from `SMTP_USERNAME`
//! and `SMTP_PASSWORD` when set. Each message has a plain-text and an HTML part.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::{DeliveryError, Gateway, Outgoing, GATEWAY_TIMEOUT};

/// An SMTP gateway.
pub struct Smtp {
    transport: SmtpTransport,
    from: Mailbox,
    shown: String,
}

impl Smtp {
    /// The gateway of `uri`; `env` gives the credentials.
    pub fn new(uri: &str, env: &dyn Fn(&str) -> Option<String>) -> Result<Self, String> {
        let (wrapped, rest) = match uri.split_once("://") {
            Some(("smtps", rest)) => (true, rest),
            Some(("smtp", rest)) => (false, rest),
            _ => return Err("must be smtp://HOST:PORT or smtps://HOST:PORT".into()),
        };
        let (authority, query) = rest.split_once('?').unwrap_or((rest, ""));
        let authority = authority.trim_end_matches('/');
        let (host, port) = authority
            .rsplit_once(':')
            .and_then(|(host, port)| Some((host, port.parse::<u16>().ok()?)))
            .filter(|(host, _)| !host.is_empty() && !host.contains('@'))
            .ok_or("must name its host and port, as smtp://HOST:PORT")?;
        let from = query
            .split('&')
            .find_map(|pair| pair.strip_prefix("from="))
            .map(|address| address.replace("%40", "@"))
            .ok_or("needs the sender, as ?from=ADDRESS")?;
        let from: Mailbox = from
            .parse()
            .map_err(|_| format!("?from= must be an e-mail address, got {from:?}"))?;
        let tls = TlsParameters::new(host.to_string())
            .map_err(|e| format!("cannot prepare TLS for {host}: {e}"))?;
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(GATEWAY_TIMEOUT))
            .tls(match wrapped {
                true => Tls::Wrapper(tls),
                false => Tls::Opportunistic(tls),
            });
        if let (Some(user), Some(password)) = (env("SMTP_USERNAME"), env("SMTP_PASSWORD")) {
            builder = builder.credentials(Credentials::new(user, password));
        }
        let scheme = if wrapped { "smtps" } else { "smtp" };
        Ok(Self {
            transport: builder.build(),
            shown: format!("{scheme}://{host}:{port} from {}", from.email),
            from,
        })
    }
}

impl Gateway for Smtp {
    fn deliver(&self, message: &Outgoing) -> Result<(), DeliveryError> {
        let to: Mailbox = message
            .to
            .parse()
            .map_err(|_| DeliveryError::Refused("not an e-mail address".into()))?;
        let email = Message::builder()
            .from(self.from.clone())
            .to(to)
            .subject(message.subject.as_str())
            .multipart(MultiPart::alternative_plain_html(
                message.text.clone(),
                message.html.clone(),
            ))
            .map_err(|e| DeliveryError::Unavailable(format!("cannot build the e-mail: {e}")))?;
        self.transport.send(&email).map(drop).map_err(|e| {
            // 550 (no such mailbox), 551, 553 (address not allowed) and 501 (bad address)
            // refuse the destination itself; any other failure may pass.
            let refused = e.is_permanent()
                && e.status().is_some_and(|code| {
                    ["550", "551", "553", "501"].contains(&code.to_string().as_str())
                });
            match refused {
                true => DeliveryError::Refused(format!("the mail server refused the address: {e}")),
                false => DeliveryError::Unavailable(format!(
                    "the mail server did not take the e-mail: {e}"
                )),
            }
        })
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}
