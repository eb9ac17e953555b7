//! SMTP: aiosmtpd on loopback, whose mailbox the test reads.

use std::path::PathBuf;
use std::process::{Child, Command};

use checkout_verify_server::delivery::DeliveryError;

use crate::{deliver, free_port, gateway, installed, message, wait_until_listening};

// --- SMTP ------------------------------------------------------------------------------------

/// aiosmtpd on a free port, delivering into a Maildir the test reads; stopped when dropped.
struct MailServer {
    child: Child,
    port: u16,
    maildir: PathBuf,
}

impl MailServer {
    fn start() -> Self {
        let aiosmtpd = installed("target/smtp/bin/aiosmtpd");
        let port = free_port();
        let maildir = std::env::temp_dir().join(format!("cv-mail-{port}-{}", std::process::id()));
        let child = Command::new(aiosmtpd)
            .args(["-n", "-l", &format!("127.0.0.1:{port}")])
            .args(["-c", "aiosmtpd.handlers.Mailbox"])
            .arg(&maildir)
            .spawn()
            .expect("aiosmtpd starts");
        wait_until_listening(port, "aiosmtpd");
        Self {
            child,
            port,
            maildir,
        }
    }

    /// The raw messages delivered so far.
    fn messages(&self) -> Vec<String> {
        std::fs::read_dir(self.maildir.join("new"))
            .map(|dir| {
                dir.filter_map(Result::ok)
                    .filter_map(|entry| std::fs::read_to_string(entry.path()).ok())
                    .collect()
            })
            .unwrap_or_default()
    }
}

impl Drop for MailServer {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        let _ = std::fs::remove_dir_all(&self.maildir);
    }
}

#[tokio::test]
async fn smtp_sends_an_email_with_the_code_first_in_its_subject_and_two_parts() {
    let mail = MailServer::start();
    let no_env = |_: &str| None;
    let email = gateway(
        &format!(
            "email=smtp://127.0.0.1:{}?from=codes@shop.example",
            mail.port
        ),
        &no_env,
    );
    let sent = message("shopper@example.com", "email", "en");
    assert_eq!(deliver(email, sent).await, Ok(()));
    let messages = mail.messages();
    assert_eq!(messages.len(), 1);
    let raw = &messages[0];
    assert!(
        raw.contains("Subject: 482915 is your Demo Store verification code"),
        "{raw}"
    );
    assert!(raw.contains("From: codes@shop.example"), "{raw}");
    assert!(raw.contains("To: shopper@example.com"), "{raw}");
    assert!(raw.contains("multipart/alternative"), "{raw}");
    assert!(raw.contains("Content-Type: text/plain"), "{raw}");
    assert!(raw.contains("Content-Type: text/html"), "{raw}");
    assert!(raw.contains("<strong>482915</strong>"), "{raw}");
    drop(mail);
    // The mail server gone: a failure to retry, not a refused address.
    let no_env = |_: &str| None;
    let gone = gateway("email=smtp://127.0.0.1:9?from=codes@shop.example", &no_env);
    let result = deliver(gone, message("shopper@example.com", "email", "en")).await;
    assert!(
        matches!(result, Err(DeliveryError::Unavailable(_))),
        "{result:?}"
    );
}
