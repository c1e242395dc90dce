//! Tasks, volunteers and their claims.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::db::schema::{claims, stops, tasks, tours, volunteers};
use crate::db::{self, DbConnection};
use crate::domain::task::{ClaimStatus, TaskKind};
use crate::models::stop::Stop;
use crate::models::tour::Tour;

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = tasks)]
pub struct Task {
    pub id: String,
    pub stop_id: String,
    pub kind: TaskKind,
    pub title: String,
    pub description: String,
    pub starts_at: Option<NaiveDateTime>,
    pub ends_at: Option<NaiveDateTime>,
    pub slots: i32,
    pub claimed: i32,
    pub created_at: NaiveDateTime,
    pub updated_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = volunteers)]
pub struct Volunteer {
    pub id: String,
    pub name: String,
    pub email: String,
    pub lang: String,
    pub feed_token_hash: Option<String>,
    pub created_at: NaiveDateTime,
}

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = claims)]
pub struct Claim {
    pub id: String,
    pub task_id: String,
    pub volunteer_id: String,
    pub status: ClaimStatus,
    pub assigned_by: Option<String>,
    pub showed_up: Option<bool>,
    pub created_at: NaiveDateTime,
    pub released_at: Option<NaiveDateTime>,
}

/// Editable fields of a task.
#[derive(AsChangeset, Default)]
#[diesel(table_name = tasks)]
pub struct TaskChanges {
    pub title: Option<String>,
    pub description: Option<String>,
    pub starts_at: Option<Option<NaiveDateTime>>,
    pub ends_at: Option<Option<NaiveDateTime>>,
    pub slots: Option<i32>,
    pub updated_at: Option<NaiveDateTime>,
}

impl Task {
    pub fn free(&self) -> i32 {
        (self.slots - self.claimed).max(0)
    }

    #[expect(clippy::too_many_arguments, reason = "one row, each argument a column")]
    pub fn insert(
        conn: &mut DbConnection,
        stop_id: &str,
        kind: &str,
        title: &str,
        description: &str,
        starts_at: Option<NaiveDateTime>,
        ends_at: Option<NaiveDateTime>,
        slots: i32,
    ) -> QueryResult<Task> {
        let id = db::new_id();
        let now = db::now();
        diesel::insert_into(tasks::table)
            .values((
                tasks::id.eq(&id),
                tasks::stop_id.eq(stop_id),
                tasks::kind.eq(kind),
                tasks::title.eq(title),
                tasks::description.eq(description),
                tasks::starts_at.eq(starts_at),
                tasks::ends_at.eq(ends_at),
                tasks::slots.eq(slots),
                tasks::created_at.eq(now),
                tasks::updated_at.eq(now),
            ))
            .execute(conn)?;
        Self::get(conn, &id)
    }

    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Task> {
        tasks::table.find(id).select(Task::as_select()).first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Task>> {
        Self::get(conn, id).optional()
    }

    pub fn for_stop(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<Task>> {
        tasks::table
            .filter(tasks::stop_id.eq(stop_id))
            .order((tasks::starts_at, tasks::created_at))
            .select(Task::as_select())
            .load(conn)
    }

    pub fn for_stops(conn: &mut DbConnection, stop_ids: &[String]) -> QueryResult<Vec<Task>> {
        tasks::table
            .filter(tasks::stop_id.eq_any(stop_ids.to_vec()))
            .order((tasks::starts_at, tasks::created_at))
            .select(Task::as_select())
            .load(conn)
    }

    /// Takes the task's claim lock (a no-op update of its row: a row lock on PostgreSQL).
    pub fn lock(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Task>> {
        diesel::update(tasks::table.find(id))
            .set(tasks::claimed.eq(tasks::claimed))
            .execute(conn)?;
        Self::find(conn, id)
    }

    /// Takes a slot if one is free; false when the task is full.
    pub fn take_slot(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
        let n = diesel::update(
            tasks::table
                .find(id)
                .filter(tasks::claimed.lt(tasks::slots)),
        )
        .set(tasks::claimed.eq(tasks::claimed + 1))
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn free_slot(conn: &mut DbConnection, id: &str) -> QueryResult<()> {
        diesel::update(tasks::table.find(id).filter(tasks::claimed.gt(0)))
            .set(tasks::claimed.eq(tasks::claimed - 1))
            .execute(conn)
            .map(drop)
    }

    pub fn update(conn: &mut DbConnection, id: &str, changes: &TaskChanges) -> QueryResult<Task> {
        diesel::update(tasks::table.find(id))
            .set(changes)
            .execute(conn)?;
        Self::get(conn, id)
    }

    pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
        diesel::delete(tasks::table.find(id)).execute(conn)
    }
}

impl Volunteer {
    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Volunteer>> {
        volunteers::table
            .find(id)
            .select(Volunteer::as_select())
            .first(conn)
            .optional()
    }

    pub fn find_by_email(conn: &mut DbConnection, email: &str) -> QueryResult<Option<Volunteer>> {
        volunteers::table
            .filter(volunteers::email.eq(email))
            .select(Volunteer::as_select())
            .first(conn)
            .optional()
    }

    pub fn lang(&self) -> crate::i18n::Lang {
        crate::i18n::Lang::from_code(&self.lang).unwrap_or_default()
    }

    /// The volunteer with this address, created on first claim.
    pub fn get_or_create(
        conn: &mut DbConnection,
        name: &str,
        email: &str,
        lang: crate::i18n::Lang,
    ) -> QueryResult<Volunteer> {
        if let Some(v) = Self::find_by_email(conn, email)? {
            return Ok(v);
        }
        let id = db::new_id();
        diesel::insert_into(volunteers::table)
            .values((
                volunteers::id.eq(&id),
                volunteers::name.eq(name),
                volunteers::email.eq(email),
                volunteers::lang.eq(lang.code()),
                volunteers::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        volunteers::table
            .find(&id)
            .select(Volunteer::as_select())
            .first(conn)
    }

    pub fn set_feed_token_hash(conn: &mut DbConnection, id: &str, hash: &str) -> QueryResult<()> {
        diesel::update(volunteers::table.find(id))
            .set(volunteers::feed_token_hash.eq(Some(hash)))
            .execute(conn)
            .map(drop)
    }

    pub fn find_by_feed_hash(
        conn: &mut DbConnection,
        hash: &str,
    ) -> QueryResult<Option<Volunteer>> {
        volunteers::table
            .filter(volunteers::feed_token_hash.eq(hash))
            .select(Volunteer::as_select())
            .first(conn)
            .optional()
    }
}

impl Claim {
    /// (stop id, volunteer id) of every slot claimed at these stops.
    pub fn volunteers_of_stops(
        conn: &mut DbConnection,
        stop_ids: &[String],
    ) -> QueryResult<Vec<(String, String)>> {
        claims::table
            .inner_join(tasks::table)
            .filter(tasks::stop_id.eq_any(stop_ids))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .select((tasks::stop_id, claims::volunteer_id))
            .load(conn)
    }

    pub fn active(
        conn: &mut DbConnection,
        task_id: &str,
        volunteer_id: &str,
    ) -> QueryResult<Option<Claim>> {
        claims::table
            .filter(claims::task_id.eq(task_id))
            .filter(claims::volunteer_id.eq(volunteer_id))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .select(Claim::as_select())
            .first(conn)
            .optional()
    }

    pub fn insert(
        conn: &mut DbConnection,
        task_id: &str,
        volunteer_id: &str,
        assigned_by: Option<&str>,
    ) -> QueryResult<Claim> {
        let id = db::new_id();
        diesel::insert_into(claims::table)
            .values((
                claims::id.eq(&id),
                claims::task_id.eq(task_id),
                claims::volunteer_id.eq(volunteer_id),
                claims::status.eq(ClaimStatus::Claimed),
                claims::assigned_by.eq(assigned_by),
                claims::created_at.eq(db::now()),
            ))
            .execute(conn)?;
        Self::get(conn, &id)
    }

    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Claim> {
        claims::table
            .find(id)
            .select(Claim::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Claim>> {
        Self::get(conn, id).optional()
    }

    /// Releases an active claim; false if it was not active.
    pub fn release(conn: &mut DbConnection, id: &str) -> QueryResult<bool> {
        let n = diesel::update(
            claims::table
                .find(id)
                .filter(claims::status.eq(ClaimStatus::Claimed)),
        )
        .set((
            claims::status.eq(ClaimStatus::Released),
            claims::released_at.eq(Some(db::now())),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }

    pub fn set_showed_up(
        conn: &mut DbConnection,
        id: &str,
        showed_up: Option<bool>,
    ) -> QueryResult<()> {
        diesel::update(claims::table.find(id))
            .set(claims::showed_up.eq(showed_up))
            .execute(conn)
            .map(drop)
    }

    /// Active claims of some tasks, with their volunteers.
    pub fn for_tasks(
        conn: &mut DbConnection,
        task_ids: &[String],
    ) -> QueryResult<Vec<(Claim, Volunteer)>> {
        claims::table
            .inner_join(volunteers::table)
            .filter(claims::task_id.eq_any(task_ids.to_vec()))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .order(claims::created_at)
            .select((Claim::as_select(), Volunteer::as_select()))
            .load(conn)
    }

    /// A volunteer's active claims across stops, with task, stop and tour.
    pub fn of_volunteer(
        conn: &mut DbConnection,
        volunteer_id: &str,
    ) -> QueryResult<Vec<(Claim, Task, Stop, Tour)>> {
        claims::table
            .inner_join(tasks::table.inner_join(stops::table.inner_join(tours::table)))
            .filter(claims::volunteer_id.eq(volunteer_id))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .order(stops::starts_at)
            .select((
                Claim::as_select(),
                Task::as_select(),
                Stop::as_select(),
                Tour::as_select(),
            ))
            .load(conn)
    }

    /// How often each volunteer did not show up for a task they kept.
    pub fn no_show_counts(
        conn: &mut DbConnection,
        volunteer_ids: &[String],
    ) -> QueryResult<Vec<(String, i64)>> {
        claims::table
            .filter(claims::volunteer_id.eq_any(volunteer_ids.to_vec()))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .filter(claims::showed_up.eq(false))
            .group_by(claims::volunteer_id)
            .select((claims::volunteer_id, diesel::dsl::count_star()))
            .load(conn)
    }

    /// Active claims at a stop with their volunteers (e-mails about the stop).
    pub fn at_stop(
        conn: &mut DbConnection,
        stop_id: &str,
    ) -> QueryResult<Vec<(Claim, Task, Volunteer)>> {
        claims::table
            .inner_join(tasks::table)
            .inner_join(volunteers::table)
            .filter(tasks::stop_id.eq(stop_id))
            .filter(claims::status.eq(ClaimStatus::Claimed))
            .select((
                Claim::as_select(),
                Task::as_select(),
                Volunteer::as_select(),
            ))
            .load(conn)
    }
}
