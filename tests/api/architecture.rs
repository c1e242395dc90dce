//! The import graph of `src/`, read from the source: every arrow points down the layers of
//! `docs/architecture.md`, and no module takes part in a circle (but the natural one of the
//! OpenAPI document, which names every API handler while they name its error schema).
//! A single crate has no Cargo to forbid an upward import; this test does it instead.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// The layers, lowest first. A module may import those of lower layers only (and its own
/// area's other files); `web` and `api`, on one layer, never import each other.
const LAYERS: &[&[&str]] = &[
    &["clock", "i18n", "files", "qr", "telemetry"],
    &["domain"],
    &["error"],
    &["config", "secrets"],
    &["db", "disk", "format", "ratelimit", "storage"],
    &["cache"],
    &["models"],
    &["calendar", "email", "export", "metrics"],
    &["read"],
    &["services"],
    &["state", "views"],
    &["http"],
    &["api", "limits", "web"],
    &["demo", "worker"],
    &["startup"],
    &["cli"],
    &["lib", "main"],
];

/// Areas whose files are told apart in the circle check.
const AREAS: &[&str] = &[
    "api", "db", "domain", "email", "http", "models", "read", "services", "views", "web",
];

fn layer_of(module: &str) -> usize {
    LAYERS
        .iter()
        .position(|l| l.contains(&module))
        .unwrap_or_else(|| panic!("src/{module} is in no layer of tests/api/architecture.rs"))
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rust_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

/// `services::agenda`, `web`, `format`: a file's node (an area's `mod.rs` is the area).
fn node_of(src: &Path, file: &Path) -> String {
    let rel = file.strip_prefix(src).unwrap().with_extension("");
    let mut parts: Vec<String> = rel
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    if parts.last().is_some_and(|p| p == "mod") {
        parts.pop();
    }
    match parts.as_slice() {
        [area, file, ..] if AREAS.contains(&area.as_str()) => format!("{area}::{file}"),
        [top, ..] => top.clone(),
        [] => "lib".into(),
    }
}

/// The code without comments and without its unit tests.
fn code_of(text: &str) -> String {
    let text = text.split("#[cfg(test)]").next().unwrap_or("");
    text.lines()
        .map(|l| match l.find("//") {
            // A `//` inside a string (a URL) is kept: only whole-line and trailing comments
            // that follow code outside quotes matter here, and URLs never name `crate::`.
            Some(i) if l[..i].matches('"').count() % 2 == 0 => &l[..i],
            _ => l,
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// What `code` names of the crate: `crate::x::y…` paths, and the items of `use crate::{…}`.
fn references(code: &str) -> BTreeSet<(String, Option<String>)> {
    let mut out = BTreeSet::new();
    let ident = |s: &str| -> String {
        s.chars()
            .take_while(|c| c.is_ascii_alphanumeric() || *c == '_')
            .collect()
    };
    let mut rest = code;
    while let Some(i) = rest.find("crate::") {
        rest = &rest[i + "crate::".len()..];
        if let Some(list) = rest.strip_prefix('{') {
            let end = list.find('}').unwrap_or(list.len());
            for item in list[..end].split(',') {
                let item = item.trim();
                let top = ident(item);
                let sub = item
                    .strip_prefix(&top)
                    .and_then(|r| r.strip_prefix("::"))
                    .map(ident);
                if !top.is_empty() {
                    out.insert((top, sub));
                }
            }
            continue;
        }
        let top = ident(rest);
        let after = &rest[top.len()..];
        let sub = after.strip_prefix("::").map(|r| {
            if let Some(list) = r.strip_prefix('{') {
                // `crate::models::{stop::Stop, venue::Venue}`: each item is a sub-module.
                let end = list.find('}').unwrap_or(list.len());
                return list[..end].to_owned();
            }
            ident(r)
        });
        match sub {
            Some(list) if list.contains(',') || list.contains("::") => {
                for item in list.split(',') {
                    out.insert((top.clone(), Some(ident(item.trim()))));
                }
            }
            sub => {
                out.insert((top, sub));
            }
        }
    }
    out
}

fn graph() -> BTreeMap<String, BTreeSet<String>> {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src, &mut files);
    let nodes: BTreeSet<String> = files.iter().map(|f| node_of(&src, f)).collect();
    let mut edges: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in &files {
        let me = node_of(&src, file);
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for (top, sub) in references(&code) {
            let target = match sub {
                Some(sub) if nodes.contains(&format!("{top}::{sub}")) => format!("{top}::{sub}"),
                _ => top,
            };
            if target != me && (nodes.contains(&target) || AREAS.contains(&target.as_str())) {
                edges.entry(me.clone()).or_default().insert(target);
            }
        }
        edges.entry(me).or_default();
    }
    edges
}

fn area(node: &str) -> &str {
    node.split("::").next().unwrap_or(node)
}

#[test]
fn every_import_points_down_the_layers() {
    let mut upward = Vec::new();
    for (from, targets) in graph() {
        for to in targets {
            let (a, b) = (area(&from), area(&to));
            if a == b {
                continue;
            }
            let (la, lb) = (layer_of(a), layer_of(b));
            if lb >= la {
                upward.push(format!("{from} -> {to}"));
            }
        }
    }
    assert!(
        upward.is_empty(),
        "imports that point up or sideways (see docs/architecture.md):\n{}",
        upward.join("\n")
    );
}

#[test]
fn no_module_takes_part_in_a_circle() {
    let edges = graph();
    // Tarjan's strongly connected components.
    struct Walk<'a> {
        edges: &'a BTreeMap<String, BTreeSet<String>>,
        index: BTreeMap<&'a str, usize>,
        low: BTreeMap<&'a str, usize>,
        stack: Vec<&'a str>,
        on_stack: BTreeSet<&'a str>,
        circles: Vec<Vec<&'a str>>,
    }
    impl<'a> Walk<'a> {
        fn visit(&mut self, v: &'a str) {
            let i = self.index.len();
            self.index.insert(v, i);
            self.low.insert(v, i);
            self.stack.push(v);
            self.on_stack.insert(v);
            let edges = self.edges;
            for w in edges.get(v).into_iter().flatten() {
                let w = w.as_str();
                if !self.index.contains_key(w) {
                    self.visit(w);
                    let low = self.low[v].min(self.low[w]);
                    self.low.insert(v, low);
                } else if self.on_stack.contains(w) {
                    let low = self.low[v].min(self.index[w]);
                    self.low.insert(v, low);
                }
            }
            if self.low[v] == self.index[v] {
                let mut circle = Vec::new();
                while let Some(w) = self.stack.pop() {
                    self.on_stack.remove(w);
                    circle.push(w);
                    if w == v {
                        break;
                    }
                }
                if circle.len() > 1 {
                    self.circles.push(circle);
                }
            }
        }
    }
    let mut walk = Walk {
        edges: &edges,
        index: BTreeMap::new(),
        low: BTreeMap::new(),
        stack: Vec::new(),
        on_stack: BTreeSet::new(),
        circles: Vec::new(),
    };
    for v in edges.keys() {
        if !walk.index.contains_key(v.as_str()) {
            walk.visit(v);
        }
    }
    // The OpenAPI document names every handler, and every handler names its error schema:
    // the one circle allowed, made only of the API's handlers and the document.
    let circles: Vec<String> = walk
        .circles
        .into_iter()
        .filter(|c| !(c.contains(&"api::openapi") && c.iter().all(|n| area(n) == "api")))
        .map(|mut c| {
            c.sort();
            c.join(" <-> ")
        })
        .collect();
    assert!(
        circles.is_empty(),
        "modules in a circle:\n{}",
        circles.join("\n")
    );
}

#[test]
fn the_graph_reader_sees_imports() {
    let refs = references(&code_of(
        "use crate::models::{stop::Stop, venue::Venue};\nuse crate::{db, error::AppError};\n// crate::web::x\nlet a = crate::format::date(x);",
    ));
    for expected in [
        ("models", Some("stop")),
        ("models", Some("venue")),
        ("db", None),
        ("error", Some("AppError")),
        ("format", Some("date")),
    ] {
        assert!(
            refs.contains(&(expected.0.to_owned(), expected.1.map(str::to_owned))),
            "{expected:?} in {refs:?}"
        );
    }
    assert!(
        !refs.iter().any(|(t, _)| t == "web"),
        "comments are not imports"
    );
}

/// Models answer `diesel::QueryResult`: whether a missing row is a 404 or a refusal is the
/// service's call (`src/error/mod.rs` says which error goes where).
#[test]
fn models_answer_query_results_not_http_errors() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    rust_files(&src.join("models"), &mut files);
    let offenders: Vec<String> = files
        .iter()
        .filter(|f| {
            references(&code_of(&std::fs::read_to_string(f).unwrap()))
                .iter()
                .any(|(top, _)| top == "error")
        })
        .map(|f| node_of(&src, f))
        .collect();
    assert!(
        offenders.is_empty(),
        "models that import crate::error: {offenders:?}"
    );
}

/// Handlers parse, call one use case and render: the faces (`web`, `api`) and what they share
/// (`http`) never reach the database themselves, nor the batches of registrations and
/// check-ins, which are the use cases' (`services::context::Context`). A new handler that
/// opens a connection fails here.
#[test]
fn handlers_leave_the_database_to_the_use_cases() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let mut files = Vec::new();
    for face in ["web", "api", "http"] {
        rust_files(&src.join(face), &mut files);
    }
    let reaches = [
        ".db.",
        ".db\n",
        "DbConnection",
        "diesel::",
        ".intake.",
        ".door.",
        "write_transaction",
    ];
    let mut offenders = Vec::new();
    for file in &files {
        let code = code_of(&std::fs::read_to_string(file).unwrap());
        for reach in reaches {
            if code.contains(reach) {
                offenders.push(format!("{}: {}", node_of(&src, file), reach.trim()));
            }
        }
    }
    assert!(
        offenders.is_empty(),
        "handlers that reach the database (give it a use case in src/services): {offenders:#?}"
    );
}
