//! Catalogs: a language's messages as data, by id, each a template with `{placeholder}`s, or a
//! set of plural forms chosen by `{count}` (CLDR categories, which the browser's
//! `Intl.PluralRules` names). English is built in (`locales/en.json`); every other language, and a
//! page's own `messages`, is checked against it: ids English has, placeholders the English message
//! has, plural forms CLDR knows.

use thiserror::Error;

use crate::core::json::Json;

/// The English catalog, minified into the build (`locales/en.json`).
pub const ENGLISH: &str = include_str!(concat!(env!("OUT_DIR"), "/locales/en.json"));

/// A CLDR plural category.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plural {
    /// `zero` (Arabic 0).
    Zero,
    /// `one`.
    One,
    /// `two` (Arabic 2).
    Two,
    /// `few` (Russian 2–4, Arabic 3–10).
    Few,
    /// `many` (Russian 5–20, Arabic 11–99, Spanish millions).
    Many,
    /// `other`: every language has it, and it stands in for a form a template lacks.
    Other,
}

impl Plural {
    /// Every category with its CLDR name.
    pub const NAMES: [(&'static str, Plural); 6] = [
        ("zero", Plural::Zero),
        ("one", Plural::One),
        ("two", Plural::Two),
        ("few", Plural::Few),
        ("many", Plural::Many),
        ("other", Plural::Other),
    ];

    /// The category named `name` (as `Intl.PluralRules.select` answers).
    pub fn from_name(name: &str) -> Option<Self> {
        Self::NAMES
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, plural)| *plural)
    }

    /// English's rule: `one` for 1, else `other`.
    pub fn english(count: u64) -> Self {
        if count == 1 {
            Plural::One
        } else {
            Plural::Other
        }
    }
}

/// One message: a template, or plural forms chosen by `{count}`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Template {
    /// The same words whatever the count.
    Text(String),
    /// A template per plural category; `other` is always there.
    Forms(Vec<(Plural, String)>),
}

impl Template {
    /// The template for `category`: its own form, else `other`.
    pub fn form(&self, category: Plural) -> &str {
        match self {
            Template::Text(text) => text,
            Template::Forms(forms) => forms
                .iter()
                .find(|(c, _)| *c == category)
                .or_else(|| forms.iter().find(|(c, _)| *c == Plural::Other))
                .map_or("", |(_, text)| text),
        }
    }

    /// Every text of the template, for the names it uses.
    fn texts(&self) -> Vec<&str> {
        match self {
            Template::Text(text) => vec![text],
            Template::Forms(forms) => forms.iter().map(|(_, text)| text.as_str()).collect(),
        }
    }
}

/// What is wrong with a catalog, or a page's `messages`.
#[derive(Debug, Clone, PartialEq, Eq, Error)]
pub enum CatalogError {
    /// Not an object of messages.
    #[error("must be an object like {{\"verify\": \"Confirm\"}}, got {0}")]
    NotAnObject(String),
    /// An id English does not have.
    #[error("`{id}` is not a message; known ids: {known}")]
    UnknownId {
        /// The id found.
        id: String,
        /// Every id, comma-separated.
        known: String,
    },
    /// A message that is neither a string nor plural forms with `other`.
    #[error("`{id}` must be a string, or plural forms like {{\"one\": \"…\", \"other\": \"…\"}} with `other`, got {value}")]
    NotATemplate {
        /// The message id.
        id: String,
        /// The value found, as JSON.
        value: String,
    },
    /// A placeholder the English message does not have, or one left unclosed.
    #[error("`{id}` names {{{name}}}, which it does not have; known placeholders: {known}")]
    UnknownPlaceholder {
        /// The message id.
        id: String,
        /// The placeholder found.
        name: String,
        /// The placeholders the message has, comma-separated.
        known: String,
    },
}

/// Messages by id: a language's catalog, or a page's overrides.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Catalog {
    entries: Vec<(String, Template)>,
}

impl Catalog {
    /// The English catalog, complete: every message the widget says.
    pub fn english() -> Catalog {
        // Built in and held to its shape by a native test; an empty catalog if it were not.
        Json::parse(ENGLISH)
            .ok()
            .and_then(|json| read(&json, None).ok())
            .unwrap_or_default()
    }

    /// Reads `json` (`{"id": "template" | {"one": …, "other": …}}`), checked against `english`:
    /// its ids, its placeholders, and plural forms only where English counts.
    pub fn parse(json: &Json, english: &Catalog) -> Result<Catalog, CatalogError> {
        read(json, Some(english))
    }

    /// The template of `id`, if the catalog has it.
    pub fn get(&self, id: &str) -> Option<&Template> {
        self.entries
            .iter()
            .find(|(k, _)| k == id)
            .map(|(_, template)| template)
    }

    /// Every id, in order.
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.entries.iter().map(|(id, _)| id.as_str())
    }

    /// Whether it has no message.
    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// This catalog with `over`'s messages in place of its own.
    pub fn overlaid(&self, over: &Catalog) -> Catalog {
        let mut entries = self.entries.clone();
        for (id, template) in &over.entries {
            match entries.iter_mut().find(|(k, _)| k == id) {
                Some(entry) => entry.1 = template.clone(),
                None => entries.push((id.clone(), template.clone())),
            }
        }
        Catalog { entries }
    }
}

/// The placeholders `text` names, in order; `None` when a `{` is not closed.
pub fn placeholders(text: &str) -> Option<Vec<&str>> {
    let mut names = Vec::new();
    let mut rest = text;
    while let Some((_, after)) = rest.split_once('{') {
        let (name, tail) = after.split_once('}')?;
        names.push(name);
        rest = tail;
    }
    Some(names)
}

fn read(json: &Json, english: Option<&Catalog>) -> Result<Catalog, CatalogError> {
    let pairs = json
        .as_object()
        .ok_or_else(|| CatalogError::NotAnObject(json.to_string()))?;
    let mut entries = Vec::with_capacity(pairs.len());
    for (id, value) in pairs {
        let base = match english {
            None => None,
            Some(english) => Some(english.get(id).ok_or_else(|| CatalogError::UnknownId {
                id: id.clone(),
                known: english.ids().collect::<Vec<_>>().join(", "),
            })?),
        };
        let not_a_template = || CatalogError::NotATemplate {
            id: id.clone(),
            value: value.to_string(),
        };
        let template = match value {
            Json::String(text) => Template::Text(text.clone()),
            Json::Object(forms) => {
                let mut read = Vec::with_capacity(forms.len());
                for (name, text) in forms {
                    let category = Plural::from_name(name).ok_or_else(not_a_template)?;
                    read.push((
                        category,
                        text.as_str().ok_or_else(not_a_template)?.to_string(),
                    ));
                }
                if !read.iter().any(|(c, _)| *c == Plural::Other) {
                    return Err(not_a_template());
                }
                Template::Forms(read)
            }
            _ => return Err(not_a_template()),
        };
        let counts = base.is_none_or(|base| {
            base.texts()
                .into_iter()
                .any(|text| placeholders(text).unwrap_or_default().contains(&"count"))
        });
        if matches!(template, Template::Forms(_)) && !counts {
            return Err(not_a_template());
        }
        let known: Vec<&str> = base
            .map(|base| {
                base.texts()
                    .into_iter()
                    .flat_map(|text| placeholders(text).unwrap_or_default())
                    .collect()
            })
            .unwrap_or_default();
        for text in template.texts() {
            let names = placeholders(text).ok_or_else(not_a_template)?;
            if let Some(name) = names
                .into_iter()
                .find(|name| base.is_some() && !known.contains(name))
            {
                let mut listed: Vec<&str> = Vec::new();
                for name in &known {
                    if !listed.contains(name) {
                        listed.push(name);
                    }
                }
                return Err(CatalogError::UnknownPlaceholder {
                    id: id.clone(),
                    name: name.to_string(),
                    known: listed.join(", "),
                });
            }
        }
        entries.push((id.clone(), template));
    }
    Ok(Catalog { entries })
}
