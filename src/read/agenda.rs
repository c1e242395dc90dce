//! A stop's agenda as shown: each item with its talk and speakers.

use crate::i18n::Lang;
use crate::models::agenda::AgendaItem;
use crate::models::stop::Stop;
use crate::models::talk::TalkWithSpeakers;
use crate::models::tour::Tour;

/// An item with its talk and speakers, as pages and the API show it.
#[derive(Clone, Debug)]
pub struct Entry {
    pub item: AgendaItem,
    pub talk: Option<TalkWithSpeakers>,
}

impl Entry {
    /// The title in English where an item has none of its own (the logs, the API).
    pub fn title(&self) -> String {
        self.title_in(Lang::En)
    }

    /// The talk's title, the item's own, or else its kind's name ("Break", "茶歇") in `lang`.
    pub fn title_in(&self, lang: Lang) -> String {
        match &self.talk {
            Some(t) => t.talk.title.clone(),
            None if self.item.title.trim().is_empty() => lang
                .t(&format!("agenda_kind.{}", self.item.kind))
                .into_owned(),
            None => self.item.title.clone(),
        }
    }
}

/// What a stop's agenda builder shows: the agenda, and the talks that could still be placed
/// on it (the tour's accepted or proposed ones not on it yet).
pub struct Builder {
    pub tour: Tour,
    pub stop: Stop,
    pub entries: Vec<Entry>,
    pub talks: Vec<TalkWithSpeakers>,
}
