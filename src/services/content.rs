//! Organizer content in other languages, as the use cases about tours, stops, venues and tasks
//! check it and save it (`domain::content`, `models::translation`).

use crate::domain::content::{Subject, TextChange, Translations};
use crate::error::Validator;

/// The checked texts of `given` for a record of `subject`; their errors go to `v` under each
/// field's name (`translations.zh-CN.name`).
pub fn checked(v: &mut Validator, subject: Subject, given: &Translations) -> Vec<TextChange> {
    match given.check(subject) {
        Ok(changes) => changes,
        Err(errors) => {
            for (field, e) in errors {
                v.add(&field, e.code, e.message);
            }
            Vec::new()
        }
    }
}
