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
