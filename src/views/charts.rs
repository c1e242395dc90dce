//! Charts drawn on the server as SVG (charts-rs), embedded in pages.
//!
//! Each chart is drawn twice, for a wide page and for a phone (fewer, rotated labels, larger
//! text for its size), and the stylesheet shows the one that fits; the SVG's text takes the
//! page's font from the stylesheet, and the title is the figure's caption (it wraps where a
//! title drawn inside the picture would be cut). Counts get whole-number steps. Every chart comes with its
//! figures as a table, for screen readers and for anyone who wants the numbers.

use charts_rs::{AxisLabelOverflow, BarChart, LineChart, Series};
use maud::{Markup, PreEscaped, html};

use crate::views::Ctx;

/// What a chart shows: its title, the labels along the x axis and one or more series of
/// values over them.
pub struct Chart<'a> {
    pub title: &'a str,
    pub labels: Vec<String>,
    /// `None`: no figure there (a gap in the line, "—" in the table), not a zero.
    pub series: Vec<(String, Vec<Option<f32>>)>,
    /// The values are counts (of people, of talks): steps of the y axis are whole numbers.
    pub counts: bool,
}

/// Widths the chart is drawn at, in the SVG's own units; the page scales it to its box.
const WIDE: (f32, f32) = (760.0, 320.0);
const NARROW: (f32, f32) = (360.0, 280.0);

pub fn line(ctx: &Ctx, chart: Chart) -> Markup {
    figure(ctx, &chart, |size, narrow| {
        let mut c = LineChart::new(series(&chart), chart.labels.clone());
        (c.width, c.height) = size;
        fit_labels(&mut c.x_axis, size.0, narrow);
        if let Some(axis) = c.y_axis_configs.first_mut() {
            scale(axis, &chart);
        }
        c.svg().ok()
    })
}

pub fn bars(ctx: &Ctx, chart: Chart) -> Markup {
    figure(ctx, &chart, |size, narrow| {
        let mut c = BarChart::new(series(&chart), chart.labels.clone());
        (c.width, c.height) = size;
        fit_labels(&mut c.x_axis, size.0, narrow);
        if let Some(axis) = c.y_axis_configs.first_mut() {
            scale(axis, &chart);
        }
        c.svg().ok()
    })
}

fn series(chart: &Chart) -> Vec<Series> {
    chart
        .series
        .iter()
        .map(|(name, data)| (name.as_str(), data.clone()).into())
        .collect()
}

/// Labels that would run into each other are turned 45° (the axis made tall enough for
/// them), and thinned out if they still overlap. Whether they crowd is estimated here, not
/// left to charts-rs, whose measuring font has no Chinese glyphs and counts them as nothing.
fn fit_labels(axis: &mut charts_rs::XAxisConfig, width: f32, narrow: bool) {
    axis.label_overflow = if narrow {
        AxisLabelOverflow::Rotate
    } else {
        AxisLabelOverflow::Thin
    };
    let font = if axis.font.size > 0.0 {
        axis.font.size
    } else {
        14.0
    };
    let widths: Vec<f32> = axis.data.iter().map(|l| label_width(l, font)).collect();
    let widest = widths.iter().copied().fold(0.0, f32::max);
    // The plot takes about 85 % of the chart's width; each label wants a gap beside it.
    let needed: f32 = widths.iter().map(|w| w + font).sum();
    if needed > width * 0.85 {
        axis.name_rotate = std::f32::consts::FRAC_PI_4;
        let rotated = (widest + font) * std::f32::consts::FRAC_1_SQRT_2;
        axis.height = axis.height.max(rotated + axis.name_gap + 8.0);
    }
}

/// A label's width in the page's sans-serif font, roughly: a wide (CJK) character is an
/// em, anything else about 0.6 of one.
fn label_width(label: &str, font: f32) -> f32 {
    label
        .chars()
        .map(|c| if c as u32 >= 0x2E80 { 1.0 } else { 0.6 })
        .sum::<f32>()
        * font
}

/// Counts start at zero and go up in whole steps (no "2.5 people").
fn scale(axis: &mut charts_rs::YAxisConfig, chart: &Chart) {
    if !chart.counts {
        return;
    }
    let max = chart
        .series
        .iter()
        .flat_map(|(_, v)| v.iter().flatten().copied())
        .fold(0.0f32, f32::max);
    let (top, splits) = whole_steps(max);
    axis.min = Some(0.0);
    axis.max = Some(top);
    axis.split_number = splits;
    axis.formatter = Some("{c}".to_owned());
}

/// The axis' top and number of steps for counts up to `max`: a step of 1, 2 or 5 times a
/// power of ten, at most six steps, the top at or above `max`.
fn whole_steps(max: f32) -> (f32, usize) {
    let max = max.max(1.0).ceil() as u64;
    let mut magnitude = 1u64;
    loop {
        for unit in [1, 2, 5] {
            let step = unit * magnitude;
            let splits = max.div_ceil(step);
            if splits <= 6 {
                return ((step * splits.max(1)) as f32, splits.max(1) as usize);
            }
        }
        magnitude *= 10;
    }
}

/// Both drawings, their title for screen readers, and the figures as a table.
fn figure(ctx: &Ctx, chart: &Chart, draw: impl Fn((f32, f32), bool) -> Option<String>) -> Markup {
    if chart.labels.is_empty() {
        return html! {};
    }
    let wide = draw(WIDE, false).map(|svg| accessible(svg, chart.title, "wide"));
    let narrow = draw(NARROW, true).map(|svg| accessible(svg, chart.title, "narrow"));
    html! {
        figure.chart {
            figcaption { (chart.title) }
            @if let Some(svg) = wide { (PreEscaped(svg)) }
            @if let Some(svg) = narrow { (PreEscaped(svg)) }
            details.chart-figures {
                summary { (ctx.t("chart.as_table")) }
                table.list {
                    thead { tr {
                        th { (chart.title) }
                        @for (name, _) in &chart.series { th { (name) } }
                    } }
                    tbody {
                        @for (i, label) in chart.labels.iter().enumerate() {
                            tr {
                                td data-label=(chart.title) { (label) }
                                @for (name, values) in &chart.series {
                                    td.num data-label=(name) { (figure_text(values.get(i).copied().flatten(), chart.counts)) }
                                }
                            }
                        }
                    }
                }
            }
        }
    }
}

fn figure_text(value: Option<f32>, counts: bool) -> String {
    match value {
        None => "—".to_owned(),
        Some(v) if counts => format!("{v:.0}"),
        Some(v) => format!("{v:.1}"),
    }
}

/// Names the picture for screen readers (the table beside it carries the figures) and lets
/// it scale to its box.
fn accessible(svg: String, title: &str, size: &str) -> String {
    let label = maud::html! { (title) }.into_string();
    svg.replacen(
        "<svg ",
        &format!(
            "<svg role=\"img\" aria-label=\"{label}\" class=\"chart {size}\" preserveAspectRatio=\"xMinYMin meet\" "
        ),
        1,
    )
}

/// The cumulative registrations of each day from the day before the first one to the last,
/// days without a registration included (they carry the day before's figures), so the
/// curve shows how fast the stop filled, even when everyone registered on one day.
pub fn every_day(timeline: &[(chrono::NaiveDate, i64, i64)]) -> Vec<(chrono::NaiveDate, i64, i64)> {
    let (Some(first), Some(last)) = (timeline.first(), timeline.last()) else {
        return Vec::new();
    };
    let mut days = Vec::new();
    let mut known = timeline.iter().peekable();
    let mut figures = (0, 0);
    let mut day = first.0.pred_opt().unwrap_or(first.0);
    while day <= last.0 {
        if let Some((_, total, confirmed)) = known.next_if(|(d, _, _)| *d == day) {
            figures = (*total, *confirmed);
        }
        days.push((day, figures.0, figures.1));
        day = match day.succ_opt() {
            Some(next) => next,
            None => break,
        };
    }
    days
}

#[cfg(test)]
mod tests {
    use chrono::NaiveDate;

    use super::{every_day, label_width, whole_steps};

    fn d(day: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(2012, 9, day).unwrap()
    }

    #[test]
    fn counts_go_up_in_whole_steps() {
        assert_eq!(whole_steps(0.0), (1.0, 1));
        assert_eq!(whole_steps(3.0), (3.0, 3));
        assert_eq!(whole_steps(7.0), (8.0, 4));
        assert_eq!(whole_steps(220.0), (250.0, 5));
        assert_eq!(whole_steps(1060.0), (1200.0, 6));
        for max in [1.0, 9.0, 13.0, 99.0, 101.0, 999.0, 12345.0] {
            let (top, splits) = whole_steps(max);
            assert!(top >= max, "{max}: top {top}");
            assert!((1..=6).contains(&splits), "{max}: {splits} steps");
            assert_eq!((top / splits as f32).fract(), 0.0, "{max}: whole steps");
        }
    }

    #[test]
    fn chinese_labels_count_as_wide() {
        assert_eq!(label_width("北京", 10.0), 20.0);
        assert_eq!(label_width("ab", 10.0), 12.0);
        assert!(label_width("Beijing 北京", 14.0) > label_width("Beijing", 14.0) + 20.0);
    }

    #[test]
    fn one_day_of_registrations_is_a_line_from_zero() {
        assert_eq!(
            every_day(&[(d(10), 40, 38)]),
            vec![(d(9), 0, 0), (d(10), 40, 38)]
        );
    }

    #[test]
    fn quiet_days_carry_the_figures_forward() {
        assert_eq!(
            every_day(&[(d(1), 2, 2), (d(4), 5, 4)]),
            vec![
                (NaiveDate::from_ymd_opt(2012, 8, 31).unwrap(), 0, 0),
                (d(1), 2, 2),
                (d(2), 2, 2),
                (d(3), 2, 2),
                (d(4), 5, 4)
            ]
        );
        assert!(every_day(&[]).is_empty());
    }
}
