//! Table exports, as CSV or `.xlsx` from one `Table`. Every cell of every CSV is written
//! through `neutralise`, so a value someone typed (an e-mail address, a city, a venue's name)
//! is never run as a formula by the spreadsheet that opens the file; the workbook writes such
//! values as text cells, which no spreadsheet runs. `Table` has no way to write a raw cell.

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

/// A download's file format: the same table as CSV (with a byte-order mark, so Excel on
/// Windows reads UTF-8 rather than the system's code page and "北京" arrives intact) or as an
/// Excel workbook.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    /// The format a file extension (or an API's `format`) names.
    pub fn from_ext(ext: &str) -> Option<Self> {
        match ext {
            "csv" => Some(Format::Csv),
            "xlsx" => Some(Format::Xlsx),
            _ => None,
        }
    }

    pub fn ext(self) -> &'static str {
        match self {
            Format::Csv => "csv",
            Format::Xlsx => "xlsx",
        }
    }

    pub fn content_type(self) -> &'static str {
        match self {
            Format::Csv => "text/csv; charset=utf-8",
            Format::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        }
    }
}

/// UTF-8's byte-order mark: Excel takes a CSV without it for the system's code page.
pub const BOM: &[u8] = b"\xEF\xBB\xBF";

/// A table to download: a header row and rows of text, written out as CSV or `.xlsx` from
/// the same cells, so both files have the same columns.
pub struct Table {
    sheet: &'static str,
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    /// `sheet` names the workbook's one sheet (at most 31 characters, none of `[]:*?/\\`).
    pub fn new<S: AsRef<str>>(sheet: &'static str, header: &[S]) -> Self {
        Table {
            sheet,
            header: header.iter().map(|h| h.as_ref().to_owned()).collect(),
            rows: Vec::new(),
        }
    }

    pub fn row<S: AsRef<str>>(&mut self, cells: &[S]) {
        self.rows
            .push(cells.iter().map(|c| c.as_ref().to_owned()).collect());
    }

    pub fn render(&self, format: Format) -> Result<Vec<u8>, AppError> {
        match format {
            Format::Csv => self.csv(),
            Format::Xlsx => self.xlsx(),
        }
    }

    /// CSV with a byte-order mark; every cell goes through `neutralise`.
    pub fn csv(&self) -> Result<Vec<u8>, AppError> {
        let mut inner = csv::Writer::from_writer(BOM.to_vec());
        for row in std::iter::once(&self.header).chain(&self.rows) {
            inner
                .write_record(row.iter().map(|c| neutralise(c).into_owned()))
                .map_err(AppError::unexpected)?;
        }
        inner
            .into_inner()
            .map_err(|e| AppError::unexpected_msg(e.to_string()))
    }

    /// An Excel workbook: a bold, frozen header row, numbers as numbers, everything else as
    /// text cells (a text cell is never run as a formula, so nothing needs neutralising).
    pub fn xlsx(&self) -> Result<Vec<u8>, AppError> {
        use rust_xlsxwriter::{Format as CellFormat, Workbook};

        let unexpected = |e: rust_xlsxwriter::XlsxError| AppError::unexpected_msg(e.to_string());
        let mut book = Workbook::new();
        let sheet = book.add_worksheet();
        sheet.set_name(self.sheet).map_err(unexpected)?;
        let bold = CellFormat::new().set_bold();
        for (c, name) in (0u16..).zip(&self.header) {
            sheet
                .write_string_with_format(0, c, name, &bold)
                .map_err(unexpected)?;
        }
        for (r, row) in (1u32..).zip(&self.rows) {
            for (c, cell) in (0u16..).zip(row) {
                match spreadsheet_number(cell) {
                    Some(n) => sheet.write_number(r, c, n),
                    None => sheet.write_string(r, c, cell),
                }
                .map_err(unexpected)?;
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(unexpected)?;
        sheet.autofit();
        book.save_to_buffer().map_err(unexpected)
    }
}

/// A cell that is a number to a spreadsheet: a plain number without leading zeros (a code
/// like `007` stays text, it would lose its zeros).
fn spreadsheet_number(cell: &str) -> Option<f64> {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    let leading_zero = digits.len() > 1 && digits.starts_with('0') && !digits.starts_with("0.");
    if !is_plain_number(cell) || leading_zero {
        return None;
    }
    cell.parse().ok()
}

/// A stop's registrations as a table, with each person's no-shows (the API and the
/// organizers' page both download it, as CSV or `.xlsx`).
pub fn registrations(list: &[(&crate::models::registration::Registration, i64)]) -> Table {
    use crate::domain::stop::to_rfc3339;

    let mut w = Table::new(
        "registrations",
        &[
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
        ],
    );
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
        ]);
    }
    w
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
    fn the_csv_starts_with_a_byte_order_mark_and_neutralises_every_cell() {
        let mut w = Table::new("t", &["a", "b", "c"]);
        w.row(&["=cmd|'/C calc'!A0", "ok", "-1"]);
        let bytes = w.csv().unwrap();
        let text = String::from_utf8(bytes.strip_prefix(BOM).unwrap().to_vec()).unwrap();
        assert_eq!(text, "a,b,c\n'=cmd|'/C calc'!A0,ok,-1\n");
    }

    #[test]
    fn spreadsheet_numbers_keep_codes_with_leading_zeros_as_text() {
        assert_eq!(spreadsheet_number("12"), Some(12.0));
        assert_eq!(spreadsheet_number("0"), Some(0.0));
        assert_eq!(spreadsheet_number("0.5000"), Some(0.5));
        assert_eq!(spreadsheet_number("-3"), Some(-3.0));
        assert_eq!(spreadsheet_number("007"), None);
        assert_eq!(spreadsheet_number("北京"), None);
        assert_eq!(spreadsheet_number(""), None);
    }
}
