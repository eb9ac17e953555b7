//! The dev outbox: in dev mode, a message for a channel without a gateway (`--deliver`) is
//! printed to the terminal and kept for `GET /dev/outbox`, which is how a newcomer (and the
//! end-to-end tests) read the code. Outside dev mode no message text is kept anywhere.

use std::collections::VecDeque;
use std::sync::Mutex;

use serde::Serialize;

/// One message as it would have been sent.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Message {
    /// The destination.
    pub to: String,
    /// How it goes: `sms`, `voice`, `whatsapp` or `email`.
    pub channel: String,
    /// The full text: for a call, the words it speaks; otherwise ending with the origin-bound
    /// line `@host #code`.
    pub text: String,
    /// When it was sent, milliseconds since the Unix epoch.
    pub sent_at_ms: u64,
}

/// Messages kept in memory (dev mode only), oldest first, bounded so a long dev session cannot
/// grow without end.
#[derive(Debug)]
pub struct Outbox {
    messages: Mutex<VecDeque<Message>>,
    keep: bool,
    print: bool,
}

/// How many messages the outbox keeps.
pub const OUTBOX_CAPACITY: usize = 200;

impl Outbox {
    /// An outbox; `keep` holds messages for [`Outbox::list`] (dev mode), `print` echoes each to
    /// standard output. With neither, a message goes nowhere: no provider is configured.
    pub fn new(keep: bool, print: bool) -> Self {
        Self {
            messages: Mutex::new(VecDeque::new()),
            keep,
            print,
        }
    }

    /// Records (and in dev mode prints) a message.
    pub fn deliver(&self, message: Message) {
        if self.print {
            // One write of the whole message: `println!` wrote each line with its own system call
            // (5% of a send under make bench-server), and interleaved messages of concurrent sends.
            let printed = format!(
                "--- {} to {} ---\n{}\n---\n",
                message.channel, message.to, message.text
            );
            let _ = std::io::Write::write_all(&mut std::io::stdout().lock(), printed.as_bytes());
        }
        if !self.keep {
            return;
        }
        let mut messages = self.lock();
        if messages.len() == OUTBOX_CAPACITY {
            messages.pop_front();
        }
        messages.push_back(message);
    }

    /// Every kept message, newest last.
    pub fn list(&self) -> Vec<Message> {
        self.lock().iter().cloned().collect()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, VecDeque<Message>> {
        self.messages.lock().unwrap_or_else(|p| p.into_inner())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn outbox_keeps_order_and_is_bounded() {
        let outbox = Outbox::new(true, false);
        for n in 0..OUTBOX_CAPACITY + 3 {
            outbox.deliver(Message {
                to: n.to_string(),
                channel: "sms".into(),
                text: String::new(),
                sent_at_ms: 0,
            });
        }
        let list = outbox.list();
        assert_eq!(list.len(), OUTBOX_CAPACITY);
        assert_eq!(list[0].to, "3");
        assert_eq!(list.last().map(|m| m.to.as_str()), Some("202"));
    }

    #[test]
    fn outside_dev_mode_no_text_is_kept() {
        let outbox = Outbox::new(false, false);
        outbox.deliver(Message {
            to: "+14155550300".into(),
            channel: "sms".into(),
            text: "code 123456".into(),
            sent_at_ms: 0,
        });
        assert!(outbox.list().is_empty());
    }
}
