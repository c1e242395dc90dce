//! Agenda items of stops, and the changes of published agendas.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::{agenda_changes, agenda_items, stops, talk_speakers, tours};
use crate::db::{self, DbConnection};
use crate::models::stop::Stop;
use crate::models::tour::Tour;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = agenda_items)]
pub struct AgendaItem {
    pub id: String,
    pub stop_id: String,
    pub talk_id: Option<String>,
    pub kind: String,
    pub title: String,
    pub starts_at: NaiveDateTime,
    pub duration_minutes: i32,
    pub confirmed_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Clone, Debug)]
#[diesel(table_name = agenda_changes)]
pub struct AgendaChange {
    pub id: String,
    pub stop_id: String,
    pub title: String,
    pub change: String,
    pub old_starts_at: Option<NaiveDateTime>,
    pub new_starts_at: Option<NaiveDateTime>,
    pub created_at: NaiveDateTime,
}

impl AgendaItem {
    pub fn ends_at(&self) -> NaiveDateTime {
        self.starts_at + chrono::Duration::minutes(i64::from(self.duration_minutes))
    }

    pub fn insert(
        conn: &mut DbConnection,
        stop_id: &str,
        talk_id: Option<&str>,
        kind: &str,
        title: &str,
        starts_at: NaiveDateTime,
        duration: i32,
    ) -> QueryResult<AgendaItem> {
        let id = db::new_id();
        let now = db::now();
        diesel::insert_into(agenda_items::table)
            .values((
                agenda_items::id.eq(&id),
                agenda_items::stop_id.eq(stop_id),
                agenda_items::talk_id.eq(talk_id),
                agenda_items::kind.eq(kind),
                agenda_items::title.eq(title),
                agenda_items::starts_at.eq(starts_at),
                agenda_items::duration_minutes.eq(duration),
                agenda_items::created_at.eq(now),
                agenda_items::updated_at.eq(now),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Program(stop_id))?;
        Self::get(conn, &id)
    }

    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<AgendaItem> {
        agenda_items::table
            .find(id)
            .select(AgendaItem::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<AgendaItem>> {
        Self::get(conn, id).optional()
    }

    pub fn for_stop(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<AgendaItem>> {
        agenda_items::table
            .filter(agenda_items::stop_id.eq(stop_id))
            .order((agenda_items::starts_at, agenda_items::created_at))
            .select(AgendaItem::as_select())
            .load(conn)
    }

    pub fn for_stops(conn: &mut DbConnection, stop_ids: &[String]) -> QueryResult<Vec<AgendaItem>> {
        agenda_items::table
            .filter(agenda_items::stop_id.eq_any(stop_ids.to_vec()))
            .order((agenda_items::starts_at, agenda_items::created_at))
            .select(AgendaItem::as_select())
            .load(conn)
    }

    /// Where a talk is given: its agenda items with their stops and tours.
    pub fn deliveries_of_talks(
        conn: &mut DbConnection,
        talk_ids: &[String],
    ) -> QueryResult<Vec<(AgendaItem, Stop, Tour)>> {
        agenda_items::table
            .inner_join(stops::table.inner_join(tours::table))
            .filter(agenda_items::talk_id.eq_any(talk_ids.to_vec()))
            .order(agenda_items::starts_at)
            .select((
                AgendaItem::as_select(),
                Stop::as_select(),
                Tour::as_select(),
            ))
            .load(conn)
    }

    /// The speakers of a slot (those who accepted its talk).
    pub fn speaker_ids(conn: &mut DbConnection, item: &AgendaItem) -> QueryResult<Vec<String>> {
        match &item.talk_id {
            Some(talk_id) => talk_speakers::table
                .filter(talk_speakers::talk_id.eq(talk_id))
                .filter(talk_speakers::accepted_at.is_not_null())
                .select(talk_speakers::speaker_id)
                .load(conn),
            None => Ok(Vec::new()),
        }
    }

    pub fn move_to(
        conn: &mut DbConnection,
        id: &str,
        starts_at: NaiveDateTime,
        duration: i32,
    ) -> QueryResult<AgendaItem> {
        diesel::update(agenda_items::table.find(id))
            .set((
                agenda_items::starts_at.eq(starts_at),
                agenda_items::duration_minutes.eq(duration),
                // A moved slot must be confirmed again by its speakers.
                agenda_items::confirmed_at.eq(None::<NaiveDateTime>),
                agenda_items::updated_at.eq(db::now()),
            ))
            .execute(conn)?;
        let item = Self::get(conn, id)?;
        cache::record(conn, Change::Program(&item.stop_id))?;
        Ok(item)
    }

    pub fn confirm(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
        let n = diesel::update(
            agenda_items::table
                .find(id)
                .filter(agenda_items::confirmed_at.is_null()),
        )
        .set(agenda_items::confirmed_at.eq(Some(db::now())))
        .execute(conn)?;
        if n > 0 {
            let item = Self::get(conn, id)?;
            cache::record(conn, Change::Program(&item.stop_id))?;
        }
        Ok(())
    }

    pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
        let Some(item) = Self::find(conn, id)? else {
            return Ok(0);
        };
        let n = diesel::delete(agenda_items::table.find(id)).execute(conn)?;
        cache::record(conn, Change::Program(&item.stop_id))?;
        Ok(n)
    }
}

impl AgendaChange {
    pub fn log(
        conn: &mut DbConnection,
        stop_id: &str,
        title: &str,
        change: &str,
        old: Option<NaiveDateTime>,
        new: Option<NaiveDateTime>,
    ) -> QueryResult<()> {
        diesel::insert_into(agenda_changes::table)
            .values((
                agenda_changes::id.eq(db::new_id()),
                agenda_changes::stop_id.eq(stop_id),
                agenda_changes::title.eq(title),
                agenda_changes::change.eq(change),
                agenda_changes::old_starts_at.eq(old),
                agenda_changes::new_starts_at.eq(new),
                agenda_changes::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Program(stop_id))
    }

    pub fn for_stop(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<AgendaChange>> {
        agenda_changes::table
            .filter(agenda_changes::stop_id.eq(stop_id))
            .order(agenda_changes::created_at.desc())
            .select(AgendaChange::as_select())
            .load(conn)
    }
}
