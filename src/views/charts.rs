//! Charts drawn on the server as SVG (charts-rs), embedded in pages.

use charts_rs::{BarChart, LineChart, Series};
use maud::PreEscaped;

/// A line chart of one or more series over labelled points.
pub fn line(
    title: &str,
    labels: Vec<String>,
    series: Vec<(String, Vec<f32>)>,
) -> PreEscaped<String> {
    if labels.is_empty() {
        return PreEscaped(String::new());
    }
    let series: Vec<Series> = series
        .into_iter()
        .map(|(name, data)| (name.as_str(), data).into())
        .collect();
    let mut chart = LineChart::new(series, labels);
    chart.title.text = title.to_owned();
    chart.width = 640.0;
    chart.height = 300.0;
    PreEscaped(
        chart
            .svg()
            .map(|svg| accessible(svg, title))
            .unwrap_or_default(),
    )
}

/// A bar chart of one or more series over labelled categories.
pub fn bars(
    title: &str,
    labels: Vec<String>,
    series: Vec<(String, Vec<f32>)>,
) -> PreEscaped<String> {
    if labels.is_empty() {
        return PreEscaped(String::new());
    }
    let series: Vec<Series> = series
        .into_iter()
        .map(|(name, data)| (name.as_str(), data).into())
        .collect();
    let mut chart = BarChart::new(series, labels);
    chart.title.text = title.to_owned();
    chart.width = 640.0;
    chart.height = 320.0;
    PreEscaped(
        chart
            .svg()
            .map(|svg| accessible(svg, title))
            .unwrap_or_default(),
    )
}

/// Names the picture for screen readers and lets it shrink on a phone.
fn accessible(svg: String, title: &str) -> String {
    let label = maud::html! { (title) }.into_string();
    svg.replacen("<svg ", &format!("<svg role=\"img\" aria-label=\"{label}\" class=\"chart\" preserveAspectRatio=\"xMinYMin meet\" "), 1)
}
