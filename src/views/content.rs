//! The other-language fields of an organizer's form (tour, stop, venue, task): next to a
//! field's original text, one optional field per other content language ("Name in 中文"),
//! named `translations.<lang>.<field>` as in the API and its errors.

use std::collections::BTreeMap;

use maud::{Markup, html};
use serde::{Deserialize, Deserializer};

use crate::domain::content::{self, TextsInput};
use crate::error::FieldErrors;
use crate::models::translation::RecordTexts;
use crate::views::Ctx;
use crate::views::components::{Field, input};

const PREFIX: &str = "translations.";

/// The other-language fields of a form as typed (or as saved, for an edit):
/// `translations.<lang>.<field>` → text. A form struct takes it with `#[serde(flatten)]`.
#[derive(Clone, Debug, Default)]
pub struct TextsForm {
    values: BTreeMap<String, String>,
}

impl<'de> Deserialize<'de> for TextsForm {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let all = BTreeMap::<String, String>::deserialize(d)?;
        Ok(TextsForm {
            values: all
                .into_iter()
                .filter(|(k, _)| k.starts_with(PREFIX))
                .collect(),
        })
    }
}

impl TextsForm {
    /// The saved texts of a record, for its edit form.
    pub fn saved(texts: &RecordTexts) -> Self {
        let mut values = BTreeMap::new();
        for (lang, fields) in texts {
            for (field, text) in fields {
                values.insert(content::field_path(lang, field), text.clone());
            }
        }
        TextsForm { values }
    }

    /// What the form sent, as the use case's input: a field sent empty removes its text, a
    /// language the form did not show stays as it is.
    pub fn input(&self) -> TextsInput {
        let mut input = TextsInput::new();
        for (key, value) in &self.values {
            let Some((lang, field)) = key[PREFIX.len()..].split_once('.') else {
                continue;
            };
            input
                .entry(lang.to_owned())
                .or_default()
                .insert(field.to_owned(), Some(value.clone()));
        }
        input
    }

    fn get(&self, lang: &str, field: &str) -> &str {
        self.values
            .get(&content::field_path(lang, field))
            .map(String::as_str)
            .unwrap_or("")
    }

    fn has_text(&self, lang: &str) -> bool {
        let prefix = format!("{PREFIX}{lang}.");
        self.values
            .iter()
            .any(|(k, v)| k.starts_with(&prefix) && !v.trim().is_empty())
    }
}

/// A content language by its own name ("in 中文", "in English"); a language roadshow has no
/// name for is shown by its tag.
pub fn language_name(tag: &str) -> &str {
    if content::same_language(tag, "zh") {
        "中文"
    } else if content::same_language(tag, "en") {
        "English"
    } else {
        tag
    }
}

/// The fields of `field` (labelled `label`) in the content languages other than the page's
/// (and any that has a text already), each optional. `textarea` for free text.
pub fn other_languages(
    ctx: &Ctx,
    errors: &FieldErrors,
    texts: &TextsForm,
    field: &str,
    label: &str,
    textarea: bool,
) -> Markup {
    let languages = content::form_languages(ctx.lang.code(), &ctx.content_languages, |l| {
        texts.has_text(l)
    });
    html! {
        @for lang in languages {
            @let name = content::field_path(lang, field);
            @let label = ctx.tf("content.in_language", &[("field", label), ("language", language_name(lang))]);
            @let hint = ctx.t("content.in_language_hint");
            (input(ctx, errors, Field::new(&name, &label, texts.get(lang, field))
                .kind(if textarea { "textarea" } else { "text" })
                .hint(&hint)))
        }
    }
}
