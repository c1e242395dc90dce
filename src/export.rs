//! CSV exports: every cell of every export is written through `neutralise`, so a value
//! someone typed (an e-mail address, a city, a venue's name) is never run as a formula by the
//! spreadsheet that opens the file. Exports write through `CsvWriter`, which has no way to
//! write a raw cell.

use std::borrow::Cow;

use crate::error::AppError;

/// Spreadsheets run a cell as a formula when it starts with = + - @ (and some after a tab or
/// a line break), and DDE payloads use `|`. Such cells get a leading single quote, which
/// makes them text (OWASP's advice). Plain numbers, negative ones too, stay numbers.
pub fn neutralise(cell: &str) -> Cow<'_, str> {
    // Full-width signs too: some spreadsheets take them for their ASCII twins.
    const SIGNS: [char; 8] = ['=', '+', '-', '@', '＝', '＋', '－', '＠'];
    let risky = cell.starts_with(['\t', '\r', '\n'])
        || cell.trim_start().starts_with(SIGNS)
        || cell.contains('|');
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// `-12`, `3.5`, `-0.25`: a number, nothing a spreadsheet could run.
fn is_plain_number(cell: &str) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let mut parts = digits.splitn(2, '.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A CSV file being written in memory; each cell goes through `neutralise`.
pub struct CsvWriter {
    inner: csv::Writer<Vec<u8>>,
}

impl Default for CsvWriter {
    fn default() -> Self {
        Self::new()
    }
}

impl CsvWriter {
    pub fn new() -> Self {
        CsvWriter {
            inner: csv::Writer::from_writer(Vec::new()),
        }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) -> Result<(), AppError> {
        self.inner
            .write_record(cells.iter().map(|c| neutralise(c.as_ref()).into_owned()))
            .map_err(AppError::unexpected)
    }

    pub fn finish(self) -> Result<Vec<u8>, AppError> {
        self.inner
            .into_inner()
            .map_err(|e| AppError::unexpected_msg(e.to_string()))
    }
}

/// A stop's registrations as CSV, with each person's no-shows (the API and the organizers'
/// page both download it).
pub fn registrations(
    list: &[(&crate::models::registration::Registration, i64)],
) -> Result<Vec<u8>, AppError> {
    use crate::domain::stop::to_rfc3339;

    let mut w = CsvWriter::new();
    w.row(&[
        "id",
        "name",
        "email",
        "affiliation",
        "legal_name",
        "status",
        "code",
        "checked_in_at",
        "created_at",
        "volunteer",
        "walk_in",
        "still_coming",
        "no_shows",
    ])?;
    for (r, no_shows) in list {
        let checked = r.checked_in_at.map(to_rfc3339).unwrap_or_default();
        let created = to_rfc3339(r.created_at);
        let shows = no_shows.to_string();
        w.row(&[
            r.id.as_str(),
            &r.name,
            &r.email,
            &r.affiliation,
            &r.legal_name,
            r.status.as_str(),
            &r.code,
            &checked,
            &created,
            if r.wants_to_volunteer { "yes" } else { "no" },
            if r.walk_in { "yes" } else { "no" },
            r.still_coming.map_or("", |a| a.as_str()),
            &shows,
        ])?;
    }
    w.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_become_text_and_numbers_stay_numbers() {
        for hostile in [
            "=1+2",
            "+cmd|x!a@example.org",
            "-2+3@example.com",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            " =1",
            "a|b",
            "-inf",
            "＝1+2",
        ] {
            assert_eq!(neutralise(hostile), format!("'{hostile}"), "{hostile:?}");
        }
        for fine in [
            "Beijing",
            "att@example.org",
            "-12",
            "3.5",
            "-0.25",
            "",
            "0.5000",
        ] {
            assert_eq!(neutralise(fine), fine);
        }
    }

    #[test]
    fn the_writer_neutralises_every_cell() {
        let mut w = CsvWriter::new();
        w.row(&["=cmd|'/C calc'!A0", "ok", "-1"]).unwrap();
        let text = String::from_utf8(w.finish().unwrap()).unwrap();
        assert_eq!(text, "'=cmd|'/C calc'!A0,ok,-1\n");
    }
}
