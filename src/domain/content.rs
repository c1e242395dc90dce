//! Organizer content in several languages. A tour's, stop's, venue's or task's own columns
//! hold the original text (in whatever language the organizer wrote it); each content
//! language (`content_languages` in the settings, English and Simplified Chinese unless told
//! otherwise) may have its own text of the same field. A reader sees the text of their
//! language where there is one, else the original.

use std::collections::BTreeMap;

use crate::domain::text;
use crate::domain::{FieldCode, FieldError};

/// The content languages unless the settings say otherwise.
pub const DEFAULT_LANGUAGES: [&str; 2] = ["en", "zh-CN"];

/// The records whose texts may be given in more than one language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Subject {
    Tour,
    Stop,
    Venue,
    Task,
}

/// A field that may be translated, with the rules its original follows.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TextField {
    pub name: &'static str,
    /// A single line (a name, a title) or free text over several lines.
    pub line: bool,
    pub max: usize,
}

const fn line(name: &'static str, max: usize) -> TextField {
    TextField {
        name,
        line: true,
        max,
    }
}

const fn free(name: &'static str, max: usize) -> TextField {
    TextField {
        name,
        line: false,
        max,
    }
}

impl Subject {
    pub const ALL: [Subject; 4] = [Subject::Tour, Subject::Stop, Subject::Venue, Subject::Task];

    pub fn as_str(self) -> &'static str {
        match self {
            Subject::Tour => "tour",
            Subject::Stop => "stop",
            Subject::Venue => "venue",
            Subject::Task => "task",
        }
    }

    pub fn parse(text: &str) -> Option<Subject> {
        Subject::ALL.into_iter().find(|s| s.as_str() == text)
    }

    /// Its translatable fields, with the same limits as the original columns.
    pub fn fields(self) -> &'static [TextField] {
        const TOUR: &[TextField] = &[line("name", 200), free("description", 20_000)];
        const STOP: &[TextField] = &[line("city", 100)];
        const VENUE: &[TextField] = &[line("name", 200), free("directions", 5_000)];
        const TASK: &[TextField] = &[line("title", 200), free("description", 5_000)];
        match self {
            Subject::Tour => TOUR,
            Subject::Stop => STOP,
            Subject::Venue => VENUE,
            Subject::Task => TASK,
        }
    }

    pub fn field(self, name: &str) -> Option<TextField> {
        self.fields().iter().copied().find(|f| f.name == name)
    }
}

/// Whether two language tags name the same language: `zh-CN` and `zh-cn`, or a reader's
/// `en-GB` and the content's `en` (the first subtag decides).
pub fn same_language(a: &str, b: &str) -> bool {
    let primary = |t: &str| {
        t.split(['-', '_'])
            .next()
            .unwrap_or("")
            .to_ascii_lowercase()
    };
    a.eq_ignore_ascii_case(b) || (!a.is_empty() && primary(a) == primary(b))
}

/// The text a reader of `reader` sees: the text in their exact language, else one in the same
/// language of another region, else the original. An empty translation counts as none.
pub fn pick<'a>(
    reader: &str,
    original: &'a str,
    translations: impl IntoIterator<Item = (&'a str, &'a str)>,
) -> &'a str {
    let mut close = None;
    for (lang, text) in translations {
        if text.trim().is_empty() {
            continue;
        }
        if lang.eq_ignore_ascii_case(reader) {
            return text;
        }
        if close.is_none() && same_language(lang, reader) {
            close = Some(text);
        }
    }
    close.unwrap_or(original)
}

/// The content languages an organizer writing in `interface` is offered a field for, next to
/// the original: every other one, and any that already has a text (`has_text`), so nothing
/// saved is hidden from the form.
pub fn form_languages<'a>(
    interface: &str,
    languages: &'a [String],
    has_text: impl Fn(&str) -> bool,
) -> Vec<&'a str> {
    languages
        .iter()
        .map(String::as_str)
        .filter(|l| !same_language(l, interface) || has_text(l))
        .collect()
}

/// What an organizer gives: per language, per field, a text. An empty text (or none) removes
/// that language's text; a language or field not given stays as it is.
pub type TextsInput = BTreeMap<String, BTreeMap<String, Option<String>>>;

/// The texts an organizer gives for one record, with the content languages they may be in
/// (the settings'): what a use case's input carries.
#[derive(Clone, Debug, Default)]
pub struct Translations {
    pub languages: Vec<String>,
    pub texts: TextsInput,
}

impl Translations {
    pub fn new(languages: &[String], texts: TextsInput) -> Self {
        Translations {
            languages: languages.to_vec(),
            texts,
        }
    }

    /// Checked for a record of `subject` (see `check`).
    pub fn check(&self, subject: Subject) -> Result<Vec<TextChange>, Vec<(String, FieldError)>> {
        check(subject, &self.languages, &self.texts)
    }
}

/// One checked change: the text of `field` in `lang`, or its removal.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TextChange {
    pub lang: String,
    pub field: &'static str,
    pub text: Option<String>,
}

/// The name of a translation's field in errors and forms: `translations.zh-CN.name`.
pub fn field_path(lang: &str, field: &str) -> String {
    format!("translations.{lang}.{field}")
}

/// Checks what an organizer gives for a record of `subject` against the content `languages`:
/// each text by the rules of its original field. Answers the changes, or the errors by field
/// (an unknown language under `translations`, an unknown field under its path).
pub fn check(
    subject: Subject,
    languages: &[String],
    input: &TextsInput,
) -> Result<Vec<TextChange>, Vec<(String, FieldError)>> {
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    for (lang, fields) in input {
        let Some(known) = languages
            .iter()
            .find(|l| l.eq_ignore_ascii_case(lang.trim()))
        else {
            errors.push((
                "translations".to_owned(),
                FieldError {
                    code: FieldCode::InvalidChoice,
                    message: format!(
                        "unknown language {lang:?}, must be one of: {}",
                        languages.join(", ")
                    ),
                },
            ));
            continue;
        };
        for (name, value) in fields {
            let path = field_path(known, name);
            let Some(field) = subject.field(name) else {
                let names: Vec<_> = subject.fields().iter().map(|f| f.name).collect();
                errors.push((
                    path,
                    FieldError {
                        code: FieldCode::InvalidChoice,
                        message: format!(
                            "is not a translatable field, one of: {}",
                            names.join(", ")
                        ),
                    },
                ));
                continue;
            };
            let value = value.as_deref().unwrap_or("");
            let checked = if field.line {
                text::optional_line(value, field.max)
            } else {
                text::optional(value, field.max)
            };
            match checked {
                Ok(t) => changes.push(TextChange {
                    lang: known.clone(),
                    field: field.name,
                    text: (!t.is_empty()).then_some(t),
                }),
                Err(e) => errors.push((path, e)),
            }
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// Reads the settings' list of content languages: tags as given, without blanks or repeats;
/// none at all is an error (pages would have nothing to offer).
pub fn languages(list: &[String]) -> Result<Vec<String>, String> {
    let mut out: Vec<String> = Vec::new();
    for tag in list.iter().map(|t| t.trim()).filter(|t| !t.is_empty()) {
        if !tag.chars().all(|c| c.is_ascii_alphanumeric() || c == '-') {
            return Err(format!("content language {tag:?} is not a language tag"));
        }
        if !out.iter().any(|o| o.eq_ignore_ascii_case(tag)) {
            out.push(tag.to_owned());
        }
    }
    if out.is_empty() {
        return Err("content_languages names no language".into());
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn langs() -> Vec<String> {
        DEFAULT_LANGUAGES.iter().map(|s| s.to_string()).collect()
    }

    #[test]
    fn a_reader_sees_their_language_else_the_original() {
        let texts = [("en", "Beijing"), ("zh-CN", "北京")];
        assert_eq!(pick("zh-CN", "Peking", texts), "北京");
        assert_eq!(pick("en", "Peking", texts), "Beijing");
        assert_eq!(pick("fr", "Peking", texts), "Peking");
        assert_eq!(pick("zh-CN", "Peking", [("en", "Beijing")]), "Peking");
        assert_eq!(pick("zh-CN", "Peking", []), "Peking");
    }

    #[test]
    fn an_empty_text_is_none_and_a_region_falls_back_to_its_language() {
        assert_eq!(pick("zh-CN", "Peking", [("zh-CN", "  ")]), "Peking");
        assert_eq!(pick("en-GB", "北京", [("en", "Beijing")]), "Beijing");
        assert_eq!(pick("zh-cn", "Peking", [("zh-CN", "北京")]), "北京");
        // The exact tag wins over another region of the same language.
        assert_eq!(pick("zh-TW", "x", [("zh-CN", "简"), ("zh-TW", "繁")]), "繁");
    }

    #[test]
    fn the_form_offers_the_other_languages_and_any_with_a_text() {
        let l = langs();
        assert_eq!(form_languages("en", &l, |_| false), ["zh-CN"]);
        assert_eq!(form_languages("zh-CN", &l, |_| false), ["en"]);
        assert_eq!(
            form_languages("zh-CN", &l, |l| l == "zh-CN"),
            ["en", "zh-CN"]
        );
    }

    #[test]
    fn translations_follow_the_rules_of_their_field() {
        let mut input = TextsInput::new();
        input.entry("zh-cn".into()).or_default().extend([
            ("name".to_owned(), Some(" 北京之旅 ".to_owned())),
            ("description".to_owned(), Some(String::new())),
        ]);
        let changes = check(Subject::Tour, &langs(), &input).unwrap();
        assert_eq!(
            changes,
            [
                TextChange {
                    lang: "zh-CN".into(),
                    field: "description",
                    text: None
                },
                TextChange {
                    lang: "zh-CN".into(),
                    field: "name",
                    text: Some("北京之旅".into())
                },
            ]
        );

        let mut bad = TextsInput::new();
        bad.entry("zh-CN".into()).or_default().extend([
            ("name".to_owned(), Some("two\nlines".to_owned())),
            ("slug".to_owned(), Some("x".to_owned())),
        ]);
        bad.entry("fr".into()).or_default();
        let errors = check(Subject::Tour, &langs(), &bad).unwrap_err();
        let fields: Vec<_> = errors.iter().map(|(f, _)| f.as_str()).collect();
        assert_eq!(
            fields,
            [
                "translations",
                "translations.zh-CN.name",
                "translations.zh-CN.slug"
            ]
        );
        assert_eq!(errors[1].1.code, FieldCode::MultipleLines);
        let long = "x".repeat(101);
        let mut too_long = TextsInput::new();
        too_long
            .entry("en".into())
            .or_default()
            .insert("city".into(), Some(long));
        let errors = check(Subject::Stop, &langs(), &too_long).unwrap_err();
        assert_eq!(errors[0].0, "translations.en.city");
        assert_eq!(errors[0].1.code, FieldCode::TooLong);
    }

    #[test]
    fn the_settings_list_is_clean_tags() {
        let given = vec!["en".into(), " zh-CN ".into(), "EN".into(), "".into()];
        assert_eq!(languages(&given).unwrap(), ["en", "zh-CN"]);
        assert!(languages(&[]).is_err());
        assert!(languages(&["en;q=1".into()]).is_err());
        let third = vec!["en".into(), "zh-CN".into(), "fr".into()];
        assert_eq!(languages(&third).unwrap().len(), 3);
    }
}
