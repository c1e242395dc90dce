//! Organizer content in other languages (`domain::content`): one row per record, field and
//! language. The records' own columns keep the original text; pages load the texts of
//! everything they show in one query (`Texts::load`) and show each in the reader's language.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::DbConnection;
use crate::db::schema::translations;
use crate::domain::content::{self, Subject, TextChange};

#[derive(Queryable, Selectable, Insertable, Clone, Debug)]
#[diesel(table_name = translations)]
pub struct Translation {
    pub subject_kind: String,
    pub subject_id: String,
    pub field: String,
    pub lang: String,
    pub text: String,
    pub updated_at: NaiveDateTime,
}

/// A record whose texts may be given in other languages.
pub trait Translatable {
    fn subject(&self) -> (Subject, &str);
    /// Its translatable fields (`Subject::fields`) with their original text.
    fn texts_mut(&mut self) -> Vec<(&'static str, &mut String)>;
}

impl Translatable for crate::models::tour::Tour {
    fn subject(&self) -> (Subject, &str) {
        (Subject::Tour, &self.id)
    }
    fn texts_mut(&mut self) -> Vec<(&'static str, &mut String)> {
        vec![
            ("name", &mut self.name),
            ("description", &mut self.description),
        ]
    }
}

impl Translatable for crate::models::stop::Stop {
    fn subject(&self) -> (Subject, &str) {
        (Subject::Stop, &self.id)
    }
    fn texts_mut(&mut self) -> Vec<(&'static str, &mut String)> {
        vec![("city", &mut self.city)]
    }
}

impl Translatable for crate::models::venue::Venue {
    fn subject(&self) -> (Subject, &str) {
        (Subject::Venue, &self.id)
    }
    fn texts_mut(&mut self) -> Vec<(&'static str, &mut String)> {
        vec![
            ("name", &mut self.name),
            ("directions", &mut self.directions),
        ]
    }
}

impl Translatable for crate::models::task::Task {
    fn subject(&self) -> (Subject, &str) {
        (Subject::Task, &self.id)
    }
    fn texts_mut(&mut self) -> Vec<(&'static str, &mut String)> {
        vec![
            ("title", &mut self.title),
            ("description", &mut self.description),
        ]
    }
}

/// The texts of one record: language → field → text.
pub type RecordTexts = BTreeMap<String, BTreeMap<String, String>>;

/// The other-language texts of some records, as loaded for a page, a form or an answer.
#[derive(Clone, Debug, Default)]
pub struct Texts {
    by_record: HashMap<(Subject, String), RecordTexts>,
}

/// Ids per query: well under either backend's limit of bound parameters.
const CHUNK: usize = 500;

impl Texts {
    /// The texts of these records, in one query (a page of up to `CHUNK` records).
    pub fn load(conn: &mut DbConnection, records: &[(Subject, &str)]) -> QueryResult<Texts> {
        let mut texts = Texts::default();
        let mut ids: Vec<&str> = records.iter().map(|(_, id)| *id).collect();
        ids.sort_unstable();
        ids.dedup();
        for chunk in ids.chunks(CHUNK) {
            let rows: Vec<Translation> = translations::table
                .filter(translations::subject_id.eq_any(chunk))
                .select(Translation::as_select())
                .load(conn)?;
            for row in rows {
                let Some(kind) = Subject::parse(&row.subject_kind) else {
                    continue;
                };
                if !records
                    .iter()
                    .any(|(k, id)| *k == kind && *id == row.subject_id)
                {
                    continue;
                }
                texts
                    .by_record
                    .entry((kind, row.subject_id))
                    .or_default()
                    .entry(row.lang)
                    .or_default()
                    .insert(row.field, row.text);
            }
        }
        Ok(texts)
    }

    /// The texts of the records `items` are, in one query.
    pub fn of<T: Translatable>(conn: &mut DbConnection, items: &[&T]) -> QueryResult<Texts> {
        let records: Vec<(Subject, &str)> = items.iter().map(|i| i.subject()).collect();
        Texts::load(conn, &records)
    }

    /// One record's texts, for its form or its API answer.
    pub fn record(&self, subject: Subject, id: &str) -> RecordTexts {
        self.by_record
            .get(&(subject, id.to_owned()))
            .cloned()
            .unwrap_or_default()
    }

    /// What a reader of `lang` sees of a field (`domain::content::pick`).
    pub fn shown<'a>(
        &'a self,
        lang: &str,
        subject: Subject,
        id: &str,
        field: &str,
        original: &'a str,
    ) -> &'a str {
        match self.by_record.get(&(subject, id.to_owned())) {
            None => original,
            Some(by_lang) => content::pick(
                lang,
                original,
                by_lang
                    .iter()
                    .filter_map(|(l, fields)| Some((l.as_str(), fields.get(field)?.as_str()))),
            ),
        }
    }

    /// Puts the reader's texts in place of the originals of `item` (for a page or an e-mail
    /// in that language; never written back).
    pub fn localize<T: Translatable>(&self, lang: &str, item: &mut T) {
        let (subject, id) = item.subject();
        let Some(by_lang) = self.by_record.get(&(subject, id.to_owned())) else {
            return;
        };
        for (field, text) in item.texts_mut() {
            let shown = content::pick(
                lang,
                text.as_str(),
                by_lang
                    .iter()
                    .filter_map(|(l, fields)| Some((l.as_str(), fields.get(field)?.as_str()))),
            )
            .to_owned();
            *text = shown;
        }
    }

    pub fn localize_all<'a, T: Translatable + 'a>(
        &self,
        lang: &str,
        items: impl IntoIterator<Item = &'a mut T>,
    ) {
        for item in items {
            self.localize(lang, item);
        }
    }
}

/// Loads the texts of `items` and shows them in `lang`, in one query.
pub fn localize<T: Translatable>(
    conn: &mut DbConnection,
    lang: &str,
    items: &mut [&mut T],
) -> QueryResult<()> {
    let texts = {
        let records: Vec<(Subject, &str)> = items.iter().map(|i| i.subject()).collect();
        Texts::load(conn, &records)?
    };
    for item in items.iter_mut() {
        texts.localize(lang, *item);
    }
    Ok(())
}

impl Translation {
    /// Sets (or, for no text, removes) the texts of one record, and records `change`: the
    /// pages showing that record.
    pub fn apply(
        conn: &mut DbConnection,
        subject: Subject,
        id: &str,
        changes: &[TextChange],
        change: Option<Change<'_>>,
    ) -> QueryResult<()> {
        if changes.is_empty() {
            return Ok(());
        }
        let now = crate::db::now();
        for c in changes {
            diesel::delete(
                translations::table
                    .filter(translations::subject_kind.eq(subject.as_str()))
                    .filter(translations::subject_id.eq(id))
                    .filter(translations::field.eq(c.field))
                    .filter(translations::lang.eq(&c.lang)),
            )
            .execute(conn)?;
            if let Some(text) = &c.text {
                diesel::insert_into(translations::table)
                    .values(&Translation {
                        subject_kind: subject.as_str().to_owned(),
                        subject_id: id.to_owned(),
                        field: c.field.to_owned(),
                        lang: c.lang.clone(),
                        text: text.clone(),
                        updated_at: now,
                    })
                    .execute(conn)?;
            }
        }
        match change {
            Some(change) => cache::record(conn, change),
            None => Ok(()),
        }
    }

    /// Copies one record's texts to another (a venue copied into a library, a task made from
    /// another).
    pub fn copy(
        conn: &mut DbConnection,
        subject: Subject,
        from: &str,
        to: &str,
        change: Option<Change<'_>>,
    ) -> QueryResult<()> {
        let texts = Texts::load(conn, &[(subject, from)])?.record(subject, from);
        let changes: Vec<TextChange> = texts
            .into_iter()
            .flat_map(|(lang, fields)| {
                fields.into_iter().filter_map(move |(field, text)| {
                    Some(TextChange {
                        lang: lang.clone(),
                        field: subject.field(&field)?.name,
                        text: Some(text),
                    })
                })
            })
            .collect();
        Translation::apply(conn, subject, to, &changes, change)
    }

    /// Removes the texts of a record that is gone, and records `change`.
    pub fn forget(
        conn: &mut DbConnection,
        subject: Subject,
        id: &str,
        change: Option<Change<'_>>,
    ) -> QueryResult<()> {
        diesel::delete(
            translations::table
                .filter(translations::subject_kind.eq(subject.as_str()))
                .filter(translations::subject_id.eq(id)),
        )
        .execute(conn)?;
        match change {
            Some(change) => cache::record(conn, change),
            None => Ok(()),
        }
    }
}
