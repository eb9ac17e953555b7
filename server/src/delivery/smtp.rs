//! `smtp://HOST:PORT?from=ADDRESS` and `smtps://HOST:PORT?from=ADDRESS`: e-mail through the
//! store's mail server, with lettre. `smtp://` upgrades to TLS with STARTTLS when the server
//! offers it; `smtps://` speaks TLS from the first byte. Credentials come from `SMTP_USERNAME`
//! and `SMTP_PASSWORD` when set. Each message has a plain-text and an HTML part.

use lettre::message::{Mailbox, MultiPart};
use lettre::transport::smtp::authentication::Credentials;
use lettre::transport::smtp::client::{Tls, TlsParameters};
use lettre::{Message, SmtpTransport, Transport};

use super::{is_loopback, DeliveryError, Gateway, Outgoing, REQUEST_TIMEOUT};

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
        let credentials = match (env("SMTP_USERNAME"), env("SMTP_PASSWORD")) {
            (Some(user), Some(password)) => Some(Credentials::new(user, password)),
            _ => None,
        };
        // A login never goes over plain text: with credentials, STARTTLS is required (a
        // stripped offer fails the send) unless the server is on this machine.
        let tls = match (wrapped, &credentials) {
            (true, _) => Tls::Wrapper(tls),
            (false, Some(_)) if !is_loopback(host) => Tls::Required(tls),
            (false, _) => Tls::Opportunistic(tls),
        };
        // lettre bounds each step of the exchange (connect, EHLO, STARTTLS, MAIL, RCPT, DATA);
        // a third of the request deadline each keeps a slow server's whole exchange near it.
        let mut builder = SmtpTransport::builder_dangerous(host)
            .port(port)
            .timeout(Some(REQUEST_TIMEOUT / 3))
            .tls(tls);
        if let Some(credentials) = credentials {
            builder = builder.credentials(credentials);
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
            // Only a mailbox refusal (enhanced status 5.1.1 no such user, 5.1.2 bad domain,
            // 5.1.3 bad syntax, 5.1.10 null MX) refuses the destination: 550 and 553 also
            // mean relay denied or a sender the server will not take, the store's to fix.
            // The server's words often repeat the address: only the status is kept.
            let reply = e.to_string();
            let mailbox = [" 5.1.1 ", " 5.1.2 ", " 5.1.3 ", " 5.1.10 "]
                .iter()
                .any(|status| reply.contains(status));
            let status = e
                .status()
                .map_or("no answer".into(), |code| code.to_string());
            match e.is_permanent() && mailbox {
                true => DeliveryError::Refused(format!(
                    "the mail server refused the mailbox ({status})"
                )),
                false => DeliveryError::Unavailable(format!(
                    "the mail server did not take the e-mail ({status})"
                )),
            }
        })
    }

    fn describe(&self) -> String {
        self.shown.clone()
    }
}
