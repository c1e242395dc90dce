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

/// A file name fit for a download header: its last component, without controls or quotes.
/// Names that try to climb out of a folder are refused rather than cleaned.
pub fn safe_file_name(name: &str) -> Option<String> {
    let name = name.trim();
    if name.is_empty()
        || name.contains("..")
        || name.contains('/')
        || name.contains('\\')
        || name.starts_with('.')
    {
        return None;
    }
    let clean: String = name
        .chars()
        .filter(|c| !c.is_control() && *c != '"')
        .take(200)
        .collect();
    (!clean.is_empty()).then_some(clean)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn traversal_names_are_refused() {
        assert_eq!(safe_file_name("../../etc/passwd"), None);
        assert_eq!(safe_file_name("..\\boot.ini"), None);
        assert_eq!(safe_file_name("/etc/passwd"), None);
        assert_eq!(safe_file_name(".htaccess"), None);
        assert_eq!(
            safe_file_name("Keystone 讲解.pdf").as_deref(),
            Some("Keystone 讲解.pdf")
        );
        assert_eq!(safe_file_name("a\"b\n.pdf").as_deref(), Some("ab.pdf"));
    }
}
