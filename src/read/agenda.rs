//! A stop's agenda as shown: each item with its talk and speakers.

use crate::models::agenda::AgendaItem;
use crate::models::talk::TalkWithSpeakers;

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
