//! Edits as the browser is about to make them (`beforeinput`), decided before they happen so the
//! field never needs rewriting from script: a script that sets the value replaces the browser's
//! undo history and breaks an IME composition, so every change the shopper makes stays the
//! browser's own edit, and a cleaned one goes through the browser's editing path too.
//!
//! - A key that is no code character changes nothing (the caret stays where it was).
//! - Text with separators or other digits (`1 2`, full-width `１`) goes in cleaned.
//! - A full field overwrites the slot under the caret, as the drawn slots promise: the frame
//!   sits on the slot the next character fills. At the end of a full field a key does nothing.
//! - Deletions, undo and redo, and compositions are the browser's alone (a composition is read
//!   when it ends, see [`super::accept`]).

use super::{accept, code_chars, fold, Alphabet, Entry};

/// What the field does with an edit the browser is about to make.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Edit {
    /// Let the browser make it as it is.
    Allow,
    /// Make nothing: no code character in it, or no room for one.
    Refuse,
    /// Let the browser make it over `start..end` instead of the selection: typing into a full
    /// field replaces the character under the caret.
    Over {
        /// Where the replaced text starts (characters).
        start: usize,
        /// Where it ends.
        end: usize,
    },
    /// Make this edit instead, through the browser's editing path so that undo keeps it: `text`
    /// in place of `start..end`.
    Insert {
        /// Where the replaced text starts (characters).
        start: usize,
        /// Where it ends.
        end: usize,
        /// What goes there: code characters only.
        text: String,
    },
}

/// What the field does with the edit `input_type` (the `beforeinput` event's) bringing `data`
/// into `value` with the selection `start..end` (characters), for a code of `length`.
pub fn before_input(
    value: &str,
    (start, end): (usize, usize),
    input_type: &str,
    data: Option<&str>,
    length: u8,
    alphabet: Alphabet,
) -> Edit {
    // Typing and the keyboard's own replacements; pastes, drops, deletions, history and
    // compositions are left to the browser (and pastes to their own handler).
    let (true, Some(data)) = (
        matches!(input_type, "insertText" | "insertReplacementText"),
        data,
    ) else {
        return Edit::Allow;
    };
    let filled = value.chars().count();
    let (start, end) = (start.min(end).min(filled), end.max(start).min(filled));
    let mut text: String = data.chars().filter_map(|c| fold(c, alphabet)).collect();
    if text.is_empty() {
        return Edit::Refuse;
    }
    let room = usize::from(length).saturating_sub(filled - (end - start));
    if room == 0 {
        // A full field: the slot under the caret takes the character, as long as there is one.
        if start == end && start < filled {
            // Code characters are ASCII: bytes are characters.
            text.truncate((filled - start).min(usize::from(length)));
            let over = start + text.len();
            return if text == data {
                Edit::Over { start, end: over }
            } else {
                Edit::Insert {
                    start,
                    end: over,
                    text,
                }
            };
        }
        return Edit::Refuse;
    }
    // Code characters are ASCII: bytes are characters.
    text.truncate(room);
    if text == data {
        Edit::Allow
    } else {
        Edit::Insert { start, end, text }
    }
}

/// The edit a paste of `pasted` makes in `value` with the selection `start..end` (characters), or
/// (`Err`) the host its origin-bound line names when that is not this page's. A paste that carries a
/// whole code, or an origin-bound line, replaces the field; a fragment (`56` after `1234`) goes
/// where the caret is, cleaned, as much as fits.
///
/// Pastes are read from the clipboard rather than from the field: browsers strip line breaks
/// from single-line inputs, which would glue the origin-bound line to the text before it.
pub fn paste(
    value: &str,
    (start, end): (usize, usize),
    pasted: &str,
    length: u8,
    alphabet: Alphabet,
    page_host: &str,
) -> Result<Edit, String> {
    let filled = value.chars().count();
    match accept(pasted, length, alphabet, page_host) {
        Entry::WrongHost { host } => Err(host),
        // Codes are ASCII: bytes are characters.
        Entry::Code(code) if code.len() == usize::from(length) => Ok(Edit::Insert {
            start: 0,
            end: filled,
            text: code,
        }),
        Entry::Code(_) => {
            let (start, end) = (start.min(end).min(filled), end.max(start).min(filled));
            let mut text = code_chars(pasted, alphabet).0;
            text.truncate(usize::from(length).saturating_sub(filled - (end - start)));
            Ok(if text.is_empty() {
                Edit::Refuse
            } else {
                Edit::Insert { start, end, text }
            })
        }
    }
}

/// The slot the caret's frame is drawn on: the one the next character fills, the one under the
/// caret, or the last when the caret is past a complete code.
pub fn caret_slot(caret: usize, length: u8) -> usize {
    caret.min(usize::from(length).saturating_sub(1))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn typed(value: &str, selection: (usize, usize), data: &str) -> Edit {
        before_input(
            value,
            selection,
            "insertText",
            Some(data),
            6,
            Alphabet::Digits,
        )
    }

    #[test]
    fn a_code_character_goes_in_as_typed() {
        assert_eq!(typed("", (0, 0), "1"), Edit::Allow);
        assert_eq!(typed("12", (2, 2), "3"), Edit::Allow);
        assert_eq!(typed("1234", (1, 3), "9"), Edit::Allow, "over a selection");
        assert_eq!(typed("123456", (0, 6), "7"), Edit::Allow, "over everything");
    }

    #[test]
    fn anything_else_changes_nothing() {
        assert_eq!(typed("12", (2, 2), "a"), Edit::Refuse);
        assert_eq!(typed("12", (1, 1), " "), Edit::Refuse);
        assert_eq!(
            before_input("", (0, 0), "insertText", None, 6, Alphabet::Digits),
            Edit::Allow,
            "no data: nothing to decide"
        );
    }

    #[test]
    fn other_digits_and_separators_go_in_cleaned() {
        assert_eq!(
            typed("1", (1, 1), "2 3"),
            Edit::Insert {
                start: 1,
                end: 1,
                text: "23".into()
            }
        );
        assert_eq!(
            typed("", (0, 0), "１"),
            Edit::Insert {
                start: 0,
                end: 0,
                text: "1".into()
            }
        );
        assert_eq!(
            typed("1234", (4, 4), "5678"),
            Edit::Insert {
                start: 4,
                end: 4,
                text: "56".into()
            },
            "only what fits"
        );
    }

    #[test]
    fn a_full_field_overwrites_the_slot_under_the_caret_at_every_position() {
        for caret in 0..6 {
            assert_eq!(
                typed("123456", (caret, caret), "9"),
                Edit::Over {
                    start: caret,
                    end: caret + 1
                },
                "caret at {caret}"
            );
        }
        assert_eq!(
            typed("123456", (6, 6), "9"),
            Edit::Refuse,
            "past the last slot"
        );
        assert_eq!(
            typed("123456", (5, 5), "98"),
            Edit::Insert {
                start: 5,
                end: 6,
                text: "9".into()
            }
        );
        assert_eq!(typed("123456", (2, 2), "x"), Edit::Refuse);
    }

    #[test]
    fn deletions_history_and_compositions_are_the_browsers() {
        for input_type in [
            "deleteContentBackward",
            "deleteWordBackward",
            "historyUndo",
            "historyRedo",
            "insertCompositionText",
            "insertFromPaste",
        ] {
            assert_eq!(
                before_input("123", (3, 3), input_type, Some("x"), 6, Alphabet::Digits),
                Edit::Allow,
                "{input_type}"
            );
        }
    }

    #[test]
    fn letters_fit_an_alphanumeric_code() {
        assert_eq!(
            before_input(
                "AB",
                (2, 2),
                "insertText",
                Some("c"),
                6,
                Alphabet::Alphanumeric
            ),
            Edit::Insert {
                start: 2,
                end: 2,
                text: "C".into()
            }
        );
        assert_eq!(
            before_input(
                "AB",
                (2, 2),
                "insertText",
                Some("C"),
                6,
                Alphabet::Alphanumeric
            ),
            Edit::Allow
        );
    }

    fn pasted(value: &str, selection: (usize, usize), text: &str) -> Result<Edit, String> {
        paste(value, selection, text, 6, Alphabet::Digits, "shop.example")
    }

    #[test]
    fn a_pasted_message_or_whole_code_replaces_the_field() {
        let message = "Your code is 482913.\n\n@shop.example #482913";
        let whole = Ok(Edit::Insert {
            start: 0,
            end: 2,
            text: "482913".into(),
        });
        assert_eq!(pasted("12", (2, 2), message), whole);
        assert_eq!(pasted("12", (1, 1), "482 913"), whole);
        assert_eq!(
            paste("", (0, 0), message, 6, Alphabet::Digits, "evil.example"),
            Err("shop.example".into())
        );
    }

    #[test]
    fn a_pasted_fragment_goes_where_the_caret_is() {
        let at = |start, end, text: &str| {
            Ok(Edit::Insert {
                start,
                end,
                text: text.into(),
            })
        };
        assert_eq!(pasted("1234", (4, 4), "56"), at(4, 4, "56"));
        assert_eq!(pasted("12", (2, 2), "3-4"), at(2, 2, "34"));
        assert_eq!(pasted("1256", (2, 2), "34"), at(2, 2, "34"));
        assert_eq!(
            pasted("129956", (2, 4), "34"),
            at(2, 4, "34"),
            "over the selection"
        );
        assert_eq!(
            pasted("12", (9, 9), "3"),
            at(2, 2, "3"),
            "a caret past the end"
        );
        assert_eq!(
            pasted("12345", (5, 5), "678"),
            at(5, 5, "6"),
            "as much as fits"
        );
        assert_eq!(pasted("12", (2, 2), "no digits"), Ok(Edit::Refuse));
    }

    #[test]
    fn the_frame_sits_where_the_next_character_goes() {
        assert_eq!(caret_slot(0, 6), 0);
        assert_eq!(caret_slot(3, 6), 3);
        assert_eq!(caret_slot(6, 6), 5, "past a complete code: the last slot");
        assert_eq!(caret_slot(9, 6), 5);
    }
}
