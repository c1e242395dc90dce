//! A stop's agenda as shown: each item with its talk and speakers.

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
    pub fn title(&self) -> String {
        match &self.talk {
            Some(t) => t.talk.title.clone(),
            None => self.item.title.clone(),
        }
    }
}

/// What a stop's agenda builder shows: the agenda, and the talks that could be placed on it
/// (the tour's accepted or proposed ones, and those already there).
pub struct Builder {
    pub tour: Tour,
    pub stop: Stop,
    pub entries: Vec<Entry>,
    pub talks: Vec<TalkWithSpeakers>,
}
