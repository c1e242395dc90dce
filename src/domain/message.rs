//! Messages organizers send to many people at once: who gets them, the placeholders they may
//! use, and which of the organizer's texts a reader gets.

use crate::domain::text_enum;
use crate::domain::{FieldCode, FieldError};
use crate::i18n::Lang;

text_enum!(
    /// Who receives a message (`no_answer`: confirmed people who were asked "still
    /// coming?" and never answered).
    Segment {
        Confirmed => "confirmed",
        Waitlisted => "waitlisted",
        CheckedIn => "checked_in",
        NoShows => "no_shows",
        NoAnswer => "no_answer",
        Speakers => "speakers",
        Volunteers => "volunteers",
    }
);

/// The placeholders a message may use, each filled for its recipient in the message's
/// language.
pub const PLACEHOLDERS: &[&str] = &[
    "{name}",
    "{tour}",
    "{city}",
    "{date}",
    "{venue}",
    "{address}",
    "{manage_link}",
];

/// The placeholders of a text that are not known, in order of appearance, each once. A
/// placeholder is a word of letters, digits and `_` in braces; other braces (`{ }`, `{a b}`)
/// are the organizer's text.
pub fn unknown_placeholders(text: &str) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(start) = rest.find('{') {
        let after = &rest[start + 1..];
        let Some(end) = after.find(['}', '{']) else {
            break;
        };
        let word = &after[..end];
        if after[end..].starts_with('}')
            && !word.is_empty()
            && word.chars().all(|c| c.is_alphanumeric() || c == '_')
        {
            let token = format!("{{{word}}}");
            if !PLACEHOLDERS.contains(&token.as_str()) && !out.contains(&token) {
                out.push(token);
            }
            rest = &after[end + 1..];
        } else {
            rest = after;
        }
    }
    out
}

const UNKNOWN_LEAD: &str = "unknown placeholder: ";
const KNOWN_LEAD: &str = "; the known placeholders are ";

/// The error of a text with placeholders nobody fills (`found`): it names them and lists the
/// known ones.
pub fn unknown_placeholder_error(found: &[String]) -> FieldError {
    FieldError {
        code: FieldCode::UnknownPlaceholder,
        message: format!(
            "{UNKNOWN_LEAD}{}{KNOWN_LEAD}{}",
            found.join(" "),
            PLACEHOLDERS.join(" ")
        ),
    }
}

/// The unknown placeholders an `unknown_placeholder_error` names (for pages to say it in the
/// reader's language).
pub fn unknown_placeholders_of(e: &FieldError) -> Option<&str> {
    if e.code != FieldCode::UnknownPlaceholder {
        return None;
    }
    let rest = e.message.strip_prefix(UNKNOWN_LEAD)?;
    Some(rest.split_once(KNOWN_LEAD).map_or(rest, |(found, _)| found))
}

/// A form's field of a text in a language: `subject_en`, `body_zh_cn`.
pub fn field_name(base: &str, lang: Lang) -> String {
    format!(
        "{base}_{}",
        lang.code().to_ascii_lowercase().replace('-', "_")
    )
}

/// Which of the texts (by language) a reader of `reader` gets: theirs, else the first given.
pub fn text_for<T>(texts: &[(Lang, T)], reader: Lang) -> Option<&(Lang, T)> {
    texts
        .iter()
        .find(|(lang, _)| *lang == reader)
        .or_else(|| texts.first())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn unknown_placeholders_are_found_once_each_and_other_braces_are_text() {
        assert!(unknown_placeholders("Hi {name}, see {venue} at {date}").is_empty());
        assert_eq!(
            unknown_placeholders("Hi {foo} {name} {foo} {bar_2}"),
            vec!["{foo}", "{bar_2}"]
        );
        assert!(unknown_placeholders("a { b } {a b} {} { {").is_empty());
        assert_eq!(unknown_placeholders("{{foo}}"), vec!["{foo}"]);
        assert_eq!(unknown_placeholders("{名字}"), vec!["{名字}"]);
    }

    #[test]
    fn the_error_names_the_unknown_and_lists_the_known() {
        let e = unknown_placeholder_error(&["{foo}".into()]);
        assert!(e.message.contains("{foo}") && e.message.contains("{manage_link}"));
        assert_eq!(unknown_placeholders_of(&e), Some("{foo}"));
    }

    #[test]
    fn a_reader_gets_their_language_else_the_other() {
        let both = [(Lang::En, "en"), (Lang::ZhCn, "zh")];
        assert_eq!(text_for(&both, Lang::ZhCn).unwrap().1, "zh");
        assert_eq!(text_for(&both, Lang::En).unwrap().1, "en");
        let zh = [(Lang::ZhCn, "zh")];
        assert_eq!(text_for(&zh, Lang::En).unwrap().0, Lang::ZhCn);
    }
}
