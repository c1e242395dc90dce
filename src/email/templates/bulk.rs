//! An organizer's own message to a segment of people (attendees, speakers, volunteers).

use super::parts::{Part, Rendered, compose};
use crate::i18n::Lang;

/// An organizer's own message to a segment of people, in `lang`, the language of the text
/// they wrote for this reader. `body_markdown` (with its placeholders already filled) is
/// the whole message as written: the template adds no greeting of its own, only why the
/// reader gets it. `test`: a test sent to the organizer, with how many the message is for.
pub fn bulk(
    lang: Lang,
    subject: &str,
    body_markdown: &str,
    tour: &str,
    test: Option<usize>,
) -> Rendered {
    let html = crate::format::markdown_html(body_markdown);
    let mut parts = Vec::new();
    let subject = match test {
        Some(n) => {
            parts.push(Part::Text(lang.tn(
                "bulk.test.note",
                i64::try_from(n).unwrap_or(i64::MAX),
                &[],
            )));
            lang.tf("bulk.test.subject", &[("subject", subject)])
        }
        None => subject.to_owned(),
    };
    parts.push(Part::Rich {
        html,
        text: body_markdown.to_owned(),
    });
    parts.push(Part::Text(lang.tf("email.bulk.why", &[("tour", tour)])));
    compose(lang, subject, None, parts)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bulk_markdown_cannot_inject_scripts() {
        let r = bulk(
            Lang::En,
            "Hi",
            "Hi <script>alert(1)</script> **ok**",
            "T",
            None,
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("<strong>ok</strong>"));
    }

    #[test]
    fn the_message_starts_with_what_the_organizer_wrote() {
        let r = bulk(Lang::ZhCn, "S", "Hi Mei,\n\nsee you.", "T", None);
        assert!(r.text.starts_with("Hi Mei,"), "{}", r.text);
        assert!(!r.text.contains("你好") && !r.html.contains("你好"));
    }

    #[test]
    fn a_test_says_so_in_its_subject_and_first_line() {
        let r = bulk(Lang::En, "Slides", "Hi", "T", Some(12));
        assert!(r.subject.contains("Slides") && r.subject != "Slides");
        assert!(r.text.contains("12"), "{}", r.text);
    }
}
