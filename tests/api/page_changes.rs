//! Pages are invalidated by the models' writes themselves (`cache::record` with a
//! `cache::Change`), not by each use case remembering to: this reads `src/models/` and fails on
//! a function that writes a table public pages show without recording what it changed, so a
//! new write cannot forget it. The cache tests (`cache.rs`, `instances.rs`) show the pages
//! then change at once, on every instance.

use std::collections::BTreeSet;

/// Tables whose rows show on cached pages (home, tours, stops, speakers, the report) or
/// decide who a remembered API caller is.
const SHOWN: &[&str] = &[
    "tours",
    "stops",
    "stop_backups",
    "supporters",
    "stop_counters",
    "venues",
    "speakers",
    "talks",
    "talk_speakers",
    "agenda_items",
    "agenda_changes",
    "materials",
    "organizers",
    "api_tokens",
    "translations",
];

/// Writes of those tables that change nothing a page shows, and why.
const UNSHOWN_WRITES: &[(&str, &str, &str)] = &[
    ("tour.rs", "lock", "a no-op update that takes the row lock"),
    ("stop.rs", "lock", "a no-op update that takes the row lock"),
    (
        "counters.rs",
        "lock",
        "a no-op update that takes the counters' row lock",
    ),
    (
        "organizer.rs",
        "insert",
        "a new organizer has no token anyone remembers",
    ),
    (
        "api_token.rs",
        "organizer_for",
        "when a token was last used shows only on its owner's page, which is not cached",
    ),
    (
        "speaker.rs",
        "set_feed_token_hash",
        "a speaker's calendar feed secret shows nowhere",
    ),
    (
        "material.rs",
        "reminded",
        "when the next reminder goes is the organizers' bookkeeping",
    ),
];

/// The functions of a model file, as (name, body), read from rustfmt's layout.
fn functions(text: &str) -> Vec<(String, String)> {
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < lines.len() {
        let line = lines[i];
        let trimmed = line.trim_start();
        let indent = line.len() - trimmed.len();
        let after = trimmed
            .strip_prefix("pub fn ")
            .or_else(|| trimmed.strip_prefix("pub(crate) fn "))
            .or_else(|| trimmed.strip_prefix("fn "));
        if let Some(rest) = after {
            let name: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            let end_line = format!("{}}}", " ".repeat(indent));
            let mut j = i + 1;
            while j < lines.len() && lines[j] != end_line {
                j += 1;
            }
            out.push((name, lines[i..j.min(lines.len())].join("\n")));
            i = j;
        }
        i += 1;
    }
    out
}

/// Whether `body` calls the function `name` (not one whose name merely ends the same).
fn calls(body: &str, name: &str) -> bool {
    body.match_indices(&format!("{name}(")).any(|(at, _)| {
        !body[..at]
            .chars()
            .next_back()
            .is_some_and(|c| c.is_alphanumeric() || c == '_')
    })
}

/// The tables a function body inserts into, updates or deletes from.
fn written_tables(body: &str) -> BTreeSet<String> {
    let mut tables = BTreeSet::new();
    for verb in ["insert_into(", "diesel::update(", "diesel::delete("] {
        for (at, _) in body.match_indices(verb) {
            let rest = body[at + verb.len()..].trim_start();
            let table: String = rest
                .chars()
                .take_while(|c| c.is_alphanumeric() || *c == '_')
                .collect();
            if rest[table.len()..].starts_with("::table") {
                tables.insert(table);
            }
        }
    }
    tables
}

#[test]
fn models_record_what_they_change() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src/models");
    let mut checked = 0;
    let mut missing = Vec::new();
    // Every file under src/models, a model split by concern into a folder included
    // (`registration/door.rs`).
    let mut paths = Vec::new();
    let mut folders = vec![dir.clone()];
    while let Some(folder) = folders.pop() {
        for entry in std::fs::read_dir(&folder).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                folders.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                paths.push(path);
            }
        }
    }
    let files: Vec<(String, Vec<(String, String)>)> = paths
        .iter()
        .map(|path| {
            let file = path
                .strip_prefix(&dir)
                .unwrap()
                .to_string_lossy()
                .into_owned();
            (file, functions(&std::fs::read_to_string(path).unwrap()))
        })
        .collect();
    // The models' helpers that record (`figures_changed`, `speakers_changed`, …).
    let recorders: Vec<&str> = files
        .iter()
        .flat_map(|(_, functions)| functions)
        .filter(|(_, body)| body.contains("cache::record("))
        .map(|(name, _)| name.as_str())
        .collect();
    for (file, functions) in &files {
        for (name, body) in functions {
            let shown: Vec<String> = written_tables(body)
                .into_iter()
                .filter(|t| SHOWN.contains(&t.as_str()))
                .collect();
            if shown.is_empty()
                || UNSHOWN_WRITES
                    .iter()
                    .any(|(f, n, _)| f == file && n == name)
            {
                continue;
            }
            checked += 1;
            let records = body.contains("cache::record(")
                || recorders.iter().any(|r| r != name && calls(body, r));
            if !records {
                missing.push(format!("src/models/{file}: {name} writes {shown:?}"));
            }
        }
    }
    assert!(
        missing.is_empty(),
        "these writes change what pages show but record no cache::Change (add one, or list \
         the write in UNSHOWN_WRITES with the reason no page shows it):\n{}",
        missing.join("\n")
    );
    // The reader finds the writes it should (a reader that found none would pass anything).
    assert!(checked >= 30, "only {checked} writes found");
    for (file, name, _) in UNSHOWN_WRITES {
        let text = std::fs::read_to_string(dir.join(file)).unwrap();
        assert!(
            functions(&text)
                .iter()
                .any(|(n, body)| n == name && !written_tables(body).is_empty()),
            "UNSHOWN_WRITES names {file}: {name}, which writes no table"
        );
    }
}

#[test]
fn the_reader_finds_writes_and_records() {
    let text = "impl X {\n    pub fn add(conn: &mut C) -> R {\n        diesel::update(\n            \
                stop_counters::table.find(id),\n        )\n        .execute(conn)?;\n        \
                figures_changed(conn)\n    }\n}\n\nfn figures_changed(conn: &mut C) -> R {\n    \
                cache::record(conn, Change::Auth)\n}\n";
    let functions = functions(text);
    let names: Vec<&str> = functions.iter().map(|(n, _)| n.as_str()).collect();
    assert_eq!(names, ["add", "figures_changed"]);
    assert!(calls(&functions[0].1, "figures_changed"));
    assert!(!calls(&functions[0].1, "changed"));
    assert_eq!(
        written_tables(&functions[0].1),
        BTreeSet::from(["stop_counters".to_owned()])
    );
}
