//! What an uploaded file really is, judged by its content, never by its name.

use std::io::Read;
use std::path::Path;

/// A recognised file type.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FileType {
    pub mime: &'static str,
    pub ext: &'static str,
}

pub const PDF: FileType = FileType {
    mime: "application/pdf",
    ext: "pdf",
};
pub const ODP: FileType = FileType {
    mime: "application/vnd.oasis.opendocument.presentation",
    ext: "odp",
};
pub const PPTX: FileType = FileType {
    mime: "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ext: "pptx",
};
pub const KEY: FileType = FileType {
    mime: "application/x-iwork-keynote-sffkey",
    ext: "key",
};
pub const JPEG: FileType = FileType {
    mime: "image/jpeg",
    ext: "jpg",
};
pub const PNG: FileType = FileType {
    mime: "image/png",
    ext: "png",
};
pub const WEBP: FileType = FileType {
    mime: "image/webp",
    ext: "webp",
};
pub const MP4: FileType = FileType {
    mime: "video/mp4",
    ext: "mp4",
};
pub const WEBM: FileType = FileType {
    mime: "video/webm",
    ext: "webm",
};
pub const ZIP: FileType = FileType {
    mime: "application/zip",
    ext: "zip",
};

/// The file types accepted for slides.
pub const SLIDES: &[FileType] = &[PDF, ODP, PPTX, KEY];

/// Reads the start of the file and, for ZIP containers, their table of contents.
pub fn sniff(path: &Path) -> std::io::Result<Option<FileType>> {
    let mut head = [0u8; 16];
    let n = std::fs::File::open(path)?.read(&mut head)?;
    let head = &head[..n];
    if head.starts_with(b"%PDF-") {
        return Ok(Some(PDF));
    }
    if head.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Ok(Some(JPEG));
    }
    if head.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Ok(Some(PNG));
    }
    if head.len() >= 12 && &head[0..4] == b"RIFF" && &head[8..12] == b"WEBP" {
        return Ok(Some(WEBP));
    }
    if head.len() >= 8 && &head[4..8] == b"ftyp" {
        return Ok(Some(MP4));
    }
    if head.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        return Ok(Some(WEBM));
    }
    if head.starts_with(b"PK\x03\x04") {
        return Ok(Some(zip_kind(path).unwrap_or(ZIP)));
    }
    Ok(None)
}

/// ODP, PPTX and Keynote files are ZIP archives; their contents tell them apart.
fn zip_kind(path: &Path) -> Option<FileType> {
    let file = std::fs::File::open(path).ok()?;
    let mut archive = zip::ZipArchive::new(file).ok()?;
    if let Ok(mut mimetype) = archive.by_name("mimetype") {
        let mut text = String::new();
        mimetype.by_ref().take(200).read_to_string(&mut text).ok()?;
        if text.trim() == ODP.mime {
            return Some(ODP);
        }
    }
    let names: Vec<String> = archive.file_names().map(str::to_owned).collect();
    if names.iter().any(|n| n == "[Content_Types].xml")
        && names.iter().any(|n| n.starts_with("ppt/"))
    {
        return Some(PPTX);
    }
    if names
        .iter()
        .any(|n| n == "Index/Document.iwa" || n == "index.apxl" || n == "Index.zip")
    {
        return Some(KEY);
    }
    None
}

/// Every type `sniff` can answer, to find a stored file's type from its MIME type.
const ALL: &[FileType] = &[PDF, ODP, PPTX, KEY, JPEG, PNG, WEBP, MP4, WEBM, ZIP];

/// The type with this MIME type, if it is one we sniff.
pub fn type_of_mime(mime: &str) -> Option<FileType> {
    ALL.iter().copied().find(|t| t.mime == mime)
}

/// The name a file is stored and downloaded under: the declared name's cleaned stem plus the
/// extension of the type its content was found to be, so a "PDF" is never saved as `.exe`,
/// `.hta` or `.html`. Names that try to climb out of a folder are refused rather than cleaned.
///
/// Cleaning drops control and invisible formatting characters (bidi overrides such as
/// U+202E turn `slides\u{202e}fdp.exe` into what looks like `slidesexe.pdf`), replaces the
/// characters Windows refuses in names, and keeps clear of its reserved device names (CON,
/// NUL, COM1…).
pub fn stored_name(declared: &str, file_type: FileType) -> Option<String> {
    let name = declared.trim();
    if name.is_empty()
        || name.contains('/')
        || name.contains('\\')
        || name.starts_with('.')
        || name
            .chars()
            .filter(|c| !is_invisible(*c))
            .collect::<String>()
            .starts_with('.')
    {
        return None;
    }
    let visible: String = name
        .chars()
        .filter(|c| !is_invisible(*c))
        .map(|c| if "<>:\"|?*".contains(c) { '_' } else { c })
        .collect();
    let mut stem = strip_extension(&visible);
    let dotted = format!(".{}", file_type.ext);
    if stem.to_lowercase().ends_with(&dotted) {
        stem = &stem[..stem.len() - dotted.len()];
    }
    let mut stem: String = stem
        .trim()
        .trim_end_matches(['.', ' '])
        .chars()
        .take(150)
        .collect();
    stem = stem.trim_end_matches(['.', ' ']).to_owned();
    if stem.is_empty() {
        stem = "file".to_owned();
    }
    if is_reserved_on_windows(&stem) {
        stem.insert(0, '_');
    }
    Some(format!("{stem}.{}", file_type.ext))
}

/// `slides.v2.pdf` → `slides.v2`; a dot that does not start an extension (`Version 1.5 final`)
/// stays.
fn strip_extension(name: &str) -> &str {
    match name.rsplit_once('.') {
        Some((stem, ext))
            if !stem.is_empty()
                && (1..=10).contains(&ext.len())
                && ext.chars().all(|c| c.is_ascii_alphanumeric()) =>
        {
            stem
        }
        _ => name,
    }
}

/// Control characters, and the invisible format characters (Unicode category Cf, plus the
/// line and paragraph separators) that reorder or hide what a name shows.
fn is_invisible(c: char) -> bool {
    c.is_control()
        || matches!(
            c,
            '\u{00AD}'
                | '\u{0600}'..='\u{0605}'
                | '\u{061C}'
                | '\u{06DD}'
                | '\u{070F}'
                | '\u{0890}'..='\u{0891}'
                | '\u{08E2}'
                | '\u{180E}'
                | '\u{200B}'..='\u{200F}'
                | '\u{2028}'..='\u{202E}'
                | '\u{2060}'..='\u{2064}'
                | '\u{2066}'..='\u{206F}'
                | '\u{FEFF}'
                | '\u{FFF9}'..='\u{FFFB}'
                | '\u{110BD}'
                | '\u{110CD}'
                | '\u{13430}'..='\u{1343F}'
                | '\u{1BCA0}'..='\u{1BCA3}'
                | '\u{1D173}'..='\u{1D17A}'
                | '\u{E0001}'
                | '\u{E0020}'..='\u{E007F}'
        )
}

/// CON, PRN, AUX, NUL, COM0–9 and LPT0–9 name devices on Windows, whatever follows the
/// first dot (`con.tar.gz` too).
fn is_reserved_on_windows(stem: &str) -> bool {
    let base = stem
        .split('.')
        .next()
        .unwrap_or("")
        .trim_end()
        .to_ascii_uppercase();
    matches!(base.as_str(), "CON" | "PRN" | "AUX" | "NUL")
        || ((base.starts_with("COM") || base.starts_with("LPT"))
            && base.len() > 3
            && base[3..]
                .chars()
                .all(|c| c.is_ascii_digit() || "¹²³".contains(c))
            && base.chars().count() == 4)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_names_are_refused() {
        assert_eq!(stored_name("../../etc/passwd", PDF), None);
        assert_eq!(stored_name("..\\boot.ini", PDF), None);
        assert_eq!(stored_name("/etc/passwd", PDF), None);
        assert_eq!(stored_name(".htaccess", PDF), None);
        assert_eq!(stored_name("\u{202e}.htaccess", PDF), None);
        assert_eq!(
            stored_name("Keystone 讲解.pdf", PDF).as_deref(),
            Some("Keystone 讲解.pdf")
        );
        assert_eq!(stored_name("a\"b\n.pdf", PDF).as_deref(), Some("a_b.pdf"));
    }

    #[test]
    fn the_extension_is_the_sniffed_type_s() {
        for (declared, expected) in [
            ("slides\u{202e}fdp.exe", "slidesfdp.pdf"),
            ("Keystone\u{202e}fdp.hta", "Keystonefdp.pdf"),
            ("x.html", "x.pdf"),
            ("x.svg", "x.pdf"),
            ("tool.jar", "tool.pdf"),
            ("report.pdf.exe", "report.pdf"),
            ("v1..2.pdf", "v1..2.pdf"),
            ("Version 1.5 final", "Version 1.5 final.pdf"),
            ("no extension", "no extension.pdf"),
            ("CON.pdf", "_CON.pdf"),
            ("con.tar.gz", "_con.tar.pdf"),
            ("LPT1", "_LPT1.pdf"),
            ("COM¹.pdf", "_COM¹.pdf"),
            ("Console.pdf", "Console.pdf"),
            ("\u{200b}\u{2066}", "file.pdf"),
            ("what?.pdf", "what_.pdf"),
            ("trailing. . .pdf", "trailing.pdf"),
        ] {
            assert_eq!(
                stored_name(declared, PDF).as_deref(),
                Some(expected),
                "{declared:?}"
            );
        }
        assert_eq!(stored_name("photo.PNG", PNG).as_deref(), Some("photo.png"));
        assert_eq!(stored_name("deck.pdf", PPTX).as_deref(), Some("deck.pptx"));
        let long = format!("{}.pdf", "a".repeat(500));
        assert_eq!(stored_name(&long, PDF).unwrap().chars().count(), 154);
    }

    #[test]
    fn stored_types_are_found_by_mime() {
        assert_eq!(type_of_mime("application/pdf"), Some(PDF));
        assert_eq!(type_of_mime("text/html"), None);
    }
}
