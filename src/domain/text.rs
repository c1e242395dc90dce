//! Parsers for the plain values of user input. Each returns a `FieldError` that names the
//! rule broken, so the API can say it in English and pages in the reader's language.

use crate::domain::{FieldCode, FieldError};

fn err(code: FieldCode, message: impl Into<String>) -> FieldError {
    FieldError {
        code,
        message: message.into(),
    }
}

/// Free text that may run over several lines (descriptions, directions, messages):
/// non-empty after trimming, at most `max` characters. Line breaks are kept as LF.
pub fn required(value: &str, max: usize) -> Result<String, FieldError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(err(FieldCode::Required, "is required"));
    }
    bounded(v, max)
}

/// Free text that may run over several lines, possibly empty after trimming.
pub fn optional(value: &str, max: usize) -> Result<String, FieldError> {
    bounded(value.trim(), max)
}

/// A single-line value (a name, a title, a city): non-empty after trimming, at most `max`
/// characters, no line breaks or other control characters. These end up in e-mail
/// subjects, calendar names and CSV cells, where a line break is never meant.
pub fn required_line(value: &str, max: usize) -> Result<String, FieldError> {
    let v = required(value, max)?;
    one_line(v)
}

/// A single-line value, possibly empty after trimming.
pub fn optional_line(value: &str, max: usize) -> Result<String, FieldError> {
    let v = optional(value, max)?;
    one_line(v)
}

fn one_line(v: String) -> Result<String, FieldError> {
    if v.chars().any(char::is_control) {
        return Err(err(FieldCode::MultipleLines, "must be a single line"));
    }
    Ok(v)
}

/// Line breaks arrive as CRLF from browsers and as anything from API clients: one LF each,
/// so no bare CR reaches a calendar file, an e-mail or a CSV cell.
fn bounded(v: &str, max: usize) -> Result<String, FieldError> {
    let v = normalise_line_breaks(v);
    if v.chars().count() > max {
        return Err(err(
            FieldCode::TooLong,
            format!("must be at most {max} characters"),
        ));
    }
    if v.chars().any(|c| c.is_control() && c != '\n' && c != '\t') {
        return Err(err(FieldCode::Invalid, "contains control characters"));
    }
    Ok(v)
}

/// CRLF and lone CR become LF.
pub fn normalise_line_breaks(v: &str) -> String {
    if !v.contains('\r') {
        return v.to_owned();
    }
    v.replace("\r\n", "\n").replace('\r', "\n")
}

/// An e-mail address, trimmed and lower-cased so one person has one address.
pub fn email(value: &str) -> Result<String, FieldError> {
    let v = value.trim().to_lowercase();
    if v.is_empty() {
        return Err(err(FieldCode::Required, "is required"));
    }
    let bad = || err(FieldCode::InvalidEmail, "is not a valid e-mail address");
    if v.len() > 254 || v.chars().any(|c| c.is_whitespace() || c.is_control()) {
        return Err(bad());
    }
    let (local, domain) = v.split_once('@').ok_or_else(bad)?;
    if local.is_empty()
        || domain.contains('@')
        || !domain.contains('.')
        || domain.starts_with('.')
        || domain.ends_with('.')
        || v.contains(['<', '>', ',', ';', '"', '(', ')', '[', ']', '\\'])
    {
        return Err(bad());
    }
    Ok(v)
}

/// An http(s) URL.
pub fn web_url(value: &str) -> Result<String, FieldError> {
    let v = value.trim();
    match url::Url::parse(v) {
        Ok(u) if (u.scheme() == "http" || u.scheme() == "https") && u.host().is_some() => {
            if v.len() > 2000 {
                Err(err(FieldCode::TooLong, "must be at most 2000 characters"))
            } else {
                Ok(u.to_string())
            }
        }
        _ => Err(err(
            FieldCode::InvalidUrl,
            "must be an http:// or https:// address",
        )),
    }
}

/// A refusal that names the range: "out of range: 1 to 100,000". Pages show it in the
/// reader's language (`range_of` reads the bounds back), the API as it is.
pub fn out_of_range(min: &str, max: &str) -> FieldError {
    err(
        FieldCode::OutOfRange,
        format!("{RANGE_PREFIX}{min}{RANGE_TO}{max}"),
    )
}

const RANGE_PREFIX: &str = "out of range: ";
const RANGE_TO: &str = " to ";

/// The bounds named by an `out_of_range` refusal, if it names them.
pub fn range_of(e: &FieldError) -> Option<(&str, &str)> {
    if e.code != FieldCode::OutOfRange {
        return None;
    }
    e.message.strip_prefix(RANGE_PREFIX)?.split_once(RANGE_TO)
}

/// A whole number with its thousands grouped: 100,000.
pub fn grouped(n: i64) -> String {
    let digits = n.unsigned_abs().to_string();
    let mut out = String::with_capacity(digits.len() + digits.len() / 3 + 1);
    if n < 0 {
        out.push('-');
    }
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// A whole number within bounds (which fit an i32: the columns are 32-bit).
pub fn number_in(value: i64, min: i64, max: i64) -> Result<i32, FieldError> {
    if value < min || value > max {
        return Err(out_of_range(&grouped(min), &grouped(max)));
    }
    i32::try_from(value).map_err(|_| out_of_range(&grouped(min), &grouped(max)))
}

/// A whole number typed into a form.
pub fn parse_number(value: &str, min: i64, max: i64) -> Result<i32, FieldError> {
    let n: i64 = value
        .trim()
        .parse()
        .map_err(|_| err(FieldCode::NotANumber, "must be a whole number"))?;
    number_in(n, min, max)
}

/// A show rate: the share of confirmed registrations expected to come, from
/// `attendance::MIN_SHOW_RATE` to 1 (a tiny rate would make the target unlimited).
pub fn show_rate(value: f64) -> Result<f64, FieldError> {
    let min = crate::domain::attendance::MIN_SHOW_RATE;
    if value.is_finite() && (min..=1.0).contains(&value) {
        Ok(value)
    } else {
        Err(out_of_range(
            &format!("{min} ({:.0}%)", min * 100.0),
            "1 (100%)",
        ))
    }
}

/// A show rate typed into a form, as a fraction (0.5) or a percentage (50 or 50%).
pub fn parse_show_rate(value: &str) -> Result<f64, FieldError> {
    let v = value.trim();
    let (number, percent) = match v.strip_suffix('%') {
        Some(n) => (n.trim(), true),
        None => (v, false),
    };
    let n: f64 = number
        .parse()
        .map_err(|_| err(FieldCode::NotANumber, "must be a number such as 0.5 or 50%"))?;
    show_rate(if percent || n > 1.0 { n / 100.0 } else { n })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn emails_are_normalised_and_checked() {
        assert_eq!(email("  Hui@Example.COM ").unwrap(), "hui@example.com");
        assert_eq!(email("").unwrap_err().code, FieldCode::Required);
        for bad in [
            "a",
            "a@b",
            "@b.c",
            "a b@c.d",
            "a@b.c,d@e.f",
            "<a@b.c>",
            "a@.c",
            "a@c.",
        ] {
            assert_eq!(
                email(bad).unwrap_err().code,
                FieldCode::InvalidEmail,
                "{bad}"
            );
        }
    }

    #[test]
    fn text_is_trimmed_and_bounded() {
        assert_eq!(required("  北京 ", 10).unwrap(), "北京");
        assert_eq!(required("   ", 10).unwrap_err().code, FieldCode::Required);
        assert_eq!(
            required("北京北京", 3).unwrap_err().code,
            FieldCode::TooLong
        );
        assert_eq!(
            optional("a\u{0}b", 10).unwrap_err().code,
            FieldCode::Invalid
        );
    }

    #[test]
    fn line_breaks_become_lf_and_single_line_fields_refuse_them() {
        assert_eq!(
            optional("Exit B.\r\nTurn left.\rLift", 100).unwrap(),
            "Exit B.\nTurn left.\nLift"
        );
        assert_eq!(required(" a\tb ", 10).unwrap(), "a\tb");
        assert_eq!(required_line("Dave Tour", 100).unwrap(), "Dave Tour");
        for bad in ["Dave\r\nBEGIN:VEVENT", "a\nb", "a\rb", "a\tb"] {
            assert_eq!(
                required_line(bad, 100).unwrap_err().code,
                FieldCode::MultipleLines,
                "{bad:?}"
            );
            assert_eq!(
                optional_line(bad, 100).unwrap_err().code,
                FieldCode::MultipleLines,
                "{bad:?}"
            );
        }
        assert_eq!(optional_line("", 10).unwrap(), "");
        assert_eq!(
            required_line(" ", 10).unwrap_err().code,
            FieldCode::Required
        );
    }

    #[test]
    fn show_rates_accept_fractions_and_percentages() {
        assert_eq!(parse_show_rate("0.67").unwrap(), 0.67);
        assert_eq!(parse_show_rate("50%").unwrap(), 0.5);
        assert_eq!(parse_show_rate("50").unwrap(), 0.5);
        assert!(parse_show_rate("0").is_err());
        assert!(parse_show_rate("NaN").is_err());
        assert!(parse_show_rate("150%").is_err());
        assert!(
            show_rate(1e-300).is_err(),
            "would make the target unlimited"
        );
        assert!(show_rate(0.04).is_err());
        assert_eq!(show_rate(0.05).unwrap(), 0.05);
    }

    #[test]
    fn refusals_name_the_range_and_read_it_back() {
        let e = number_in(0, 1, 100_000).unwrap_err();
        assert_eq!(e.message, "out of range: 1 to 100,000");
        assert_eq!(range_of(&e), Some(("1", "100,000")));
        let e = number_in(i64::MAX, 1, i64::MAX).unwrap_err();
        assert_eq!(
            e.code,
            FieldCode::OutOfRange,
            "beyond what the column holds"
        );
        let e = parse_number("-5", 1, 1000).unwrap_err();
        assert_eq!(range_of(&e), Some(("1", "1,000")));
        let e = show_rate(1e-9).unwrap_err();
        assert_eq!(e.message, "out of range: 0.05 (5%) to 1 (100%)");
        assert_eq!(
            range_of(&err(
                FieldCode::OutOfRange,
                "must be between the years 1900 and 9998"
            )),
            None
        );
        assert_eq!(
            range_of(&err(FieldCode::Required, "out of range: 1 to 2")),
            None
        );
        assert_eq!(grouped(0), "0");
        assert_eq!(grouped(999), "999");
        assert_eq!(grouped(1000), "1,000");
        assert_eq!(grouped(100_000_000), "100,000,000");
        assert_eq!(grouped(-1234), "-1,234");
        assert_eq!(grouped(i64::MIN), "-9,223,372,036,854,775,808");
    }

    #[test]
    fn urls_must_be_web_addresses() {
        assert!(web_url("https://example.com/live").is_ok());
        assert_eq!(
            web_url("javascript:alert(1)").unwrap_err().code,
            FieldCode::InvalidUrl
        );
        assert_eq!(
            web_url("ftp://x.y").unwrap_err().code,
            FieldCode::InvalidUrl
        );
    }
}
