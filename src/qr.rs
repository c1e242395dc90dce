//! QR codes for tickets: SVG for pages, an HTML table for e-mail (mail clients drop inline
//! SVG and data: images, but draw tables).

use qrcode::render::svg;
use qrcode::{Color, EcLevel, QrCode};

fn code(data: &str) -> Option<QrCode> {
    QrCode::with_error_correction_level(data.as_bytes(), EcLevel::M).ok()
}

pub fn svg(data: &str) -> String {
    code(data)
        .map(|c| {
            c.render::<svg::Color>()
                .min_dimensions(200, 200)
                .quiet_zone(true)
                .dark_color(svg::Color("#000000"))
                .light_color(svg::Color("#ffffff"))
                .build()
        })
        .unwrap_or_default()
}

pub fn html_table(data: &str) -> String {
    let Some(c) = code(data) else {
        return String::new();
    };
    let width = c.width();
    let colors = c.to_colors();
    let mut out = String::with_capacity(width * width * 40);
    out.push_str("<table cellpadding=\"0\" cellspacing=\"0\" style=\"border-collapse:collapse;border:12px solid #ffffff;margin:0 0 16px\">");
    for row in colors.chunks(width) {
        out.push_str("<tr>");
        for cell in row {
            let color = if *cell == Color::Dark {
                "#000000"
            } else {
                "#ffffff"
            };
            out.push_str("<td style=\"width:5px;height:5px;padding:0;background:");
            out.push_str(color);
            out.push_str("\"></td>");
        }
        out.push_str("</tr>");
    }
    out.push_str("</table>");
    out
}

const MARKER_START: &str = "<!--roadshow-qr:";
const MARKER_END: &str = "-->";

/// Stands for the QR table of `data` in a queued e-mail: the table is drawn when the message
/// is sent, so the registration that queues it stays short (and so does the outbox row).
pub fn mail_marker(data: &str) -> String {
    let hex: String = data.bytes().map(|b| format!("{b:02x}")).collect();
    format!("{MARKER_START}{hex}{MARKER_END}")
}

/// The HTML with every marker replaced by its QR table.
pub fn expand_mail_markers(html: &str) -> std::borrow::Cow<'_, str> {
    if !html.contains(MARKER_START) {
        return std::borrow::Cow::Borrowed(html);
    }
    let mut out = String::with_capacity(html.len() + 70_000);
    let mut rest = html;
    while let Some(start) = rest.find(MARKER_START) {
        out.push_str(&rest[..start]);
        let after = &rest[start + MARKER_START.len()..];
        let Some(end) = after.find(MARKER_END) else {
            out.push_str(&rest[start..]);
            return std::borrow::Cow::Owned(out);
        };
        let hex = &after[..end];
        let data: Option<Vec<u8>> = (0..hex.len())
            .step_by(2)
            .map(|i| {
                hex.get(i..i + 2)
                    .and_then(|h| u8::from_str_radix(h, 16).ok())
            })
            .collect();
        if let Some(data) = data.and_then(|d| String::from_utf8(d).ok()) {
            out.push_str(&html_table(&data));
        }
        rest = &after[end + MARKER_END.len()..];
    }
    out.push_str(rest);
    std::borrow::Cow::Owned(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mail_markers_expand_to_the_qr_table_of_their_data() {
        let data = "https://roadshow.example.org/desk/1-2--3?code=ABC234";
        let html = format!("<p>before</p>{}<p>after</p>", mail_marker(data));
        let expanded = expand_mail_markers(&html);
        assert_eq!(
            expanded,
            format!("<p>before</p>{}<p>after</p>", html_table(data))
        );
        assert!(expanded.contains("<table"));
        assert_eq!(expand_mail_markers("<p>plain</p>"), "<p>plain</p>");
    }
}
