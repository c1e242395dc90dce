//! An organizer's own message to a segment of people (attendees, speakers, volunteers).

use super::parts::{Part, Rendered, compose};
use crate::i18n::Lang;

/// An organizer's own message to a segment of people; `body` is Markdown with its
/// placeholders already filled for this recipient.
pub fn bulk(lang: Lang, subject: &str, body_markdown: &str, name: &str, tour: &str) -> Rendered {
    let html = crate::format::markdown_html(body_markdown);
    compose(
        lang,
        subject.to_owned(),
        Some(lang.tf("email.hello_name", &[("name", name)])),
        vec![
            Part::Rich {
                html,
                text: body_markdown.to_owned(),
            },
            Part::Text(lang.tf("email.bulk.why", &[("tour", tour)])),
        ],
    )
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
            "A",
            "T",
        );
        assert!(!r.html.contains("<script>"));
        assert!(r.html.contains("<strong>ok</strong>"));
    }
}
