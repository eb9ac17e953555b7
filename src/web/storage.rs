//! The reload record in `sessionStorage`: this tab only, gone with it. Storage may be missing or
//! refuse (a sandboxed frame, private modes, a full quota); the widget then simply forgets on
//! reload, and the server still enforces every wait.

use crate::core::flow::resume::Resume;

fn session_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.session_storage().ok().flatten()
}

/// The record under `key`, if there is a readable one.
pub fn load(key: &str) -> Option<Resume> {
    let text = session_storage()?.get_item(key).ok().flatten()?;
    Resume::from_json(&text)
}

/// Keeps `record` under `key`, or removes the key when there is nothing to keep.
pub fn save(key: &str, record: Option<Resume>) {
    if let Some(storage) = session_storage() {
        let _ = match record {
            Some(record) => storage.set_item(key, &record.to_json().to_string()),
            None => storage.remove_item(key),
        };
    }
}
