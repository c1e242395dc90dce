//! Materials of a stop: slides of each delivery, the report, photos, video.

use chrono::NaiveDateTime;
use diesel::prelude::*;

use crate::cache::{self, Change};
use crate::db::schema::materials;
use crate::db::{self, DbConnection};
use crate::domain::text_enum;

text_enum!(
    MaterialKind {
        Slides => "slides",
        Video => "video",
        Photos => "photos",
        Report => "report",
        Other => "other",
    }
);

text_enum!(
    MaterialStatus {
        Requested => "requested",
        Received => "received",
        Published => "published",
    }
);

crate::db::types::text_columns!(MaterialKind, MaterialStatus);

#[derive(Queryable, Selectable, Identifiable, Clone, Debug)]
#[diesel(table_name = materials)]
pub struct Material {
    pub id: String,
    pub stop_id: String,
    pub agenda_item_id: Option<String>,
    pub kind: MaterialKind,
    pub status: MaterialStatus,
    pub title: String,
    pub storage_key: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub link_url: Option<String>,
    pub body: String,
    pub licence: String,
    pub people_consented: bool,
    pub owner_speaker_id: Option<String>,
    pub owner_email: Option<String>,
    pub uploaded_by: String,
    pub created_at: NaiveDateTime,
    pub received_at: Option<NaiveDateTime>,
    pub published_at: Option<NaiveDateTime>,
    pub next_reminder_at: Option<NaiveDateTime>,
    pub reminders_sent: i32,
}

/// A material asked for: of a slot (slides) or of the stop, owned by a speaker, a volunteer's
/// address, or the organizers (both none), chased from `first_reminder_at` on.
#[derive(Clone, Copy, Debug)]
pub struct MaterialRequest<'a> {
    pub stop_id: &'a str,
    pub agenda_item_id: Option<&'a str>,
    pub kind: MaterialKind,
    pub title: &'a str,
    pub owner_speaker_id: Option<&'a str>,
    pub owner_email: Option<&'a str>,
    pub first_reminder_at: Option<NaiveDateTime>,
}

/// What was handed in: a stored file, a link, or a written text.
#[derive(Clone, Debug, Default)]
pub struct Content {
    pub storage_key: Option<String>,
    pub file_name: Option<String>,
    pub content_type: Option<String>,
    pub size_bytes: Option<i64>,
    pub link_url: Option<String>,
    pub body: String,
    pub licence: String,
    pub people_consented: bool,
    pub uploaded_by: String,
}

impl Material {
    /// What the owner of this address still has to hand in (not yet published), with its
    /// stop, soonest stop first.
    pub fn unpublished_of_owner(
        conn: &mut DbConnection,
        email: &str,
    ) -> QueryResult<Vec<(Material, crate::models::stop::Stop)>> {
        use crate::db::schema::stops;
        materials::table
            .inner_join(stops::table)
            .filter(materials::owner_email.eq(email))
            .filter(materials::status.ne(MaterialStatus::Published.as_str()))
            .order(stops::starts_at)
            .select((
                Material::as_select(),
                crate::models::stop::Stop::as_select(),
            ))
            .load(conn)
    }

    pub fn kind(&self) -> MaterialKind {
        self.kind
    }

    pub fn status(&self) -> MaterialStatus {
        self.status
    }

    pub fn get(conn: &mut DbConnection, id: &str) -> QueryResult<Material> {
        materials::table
            .find(id)
            .select(Material::as_select())
            .first(conn)
    }

    pub fn find(conn: &mut DbConnection, id: &str) -> QueryResult<Option<Material>> {
        Self::get(conn, id).optional()
    }

    /// A request for a material nobody has handed in yet.
    pub fn request(conn: &mut DbConnection, r: &MaterialRequest) -> QueryResult<Material> {
        let MaterialRequest {
            stop_id,
            agenda_item_id,
            kind,
            title,
            owner_speaker_id,
            owner_email,
            first_reminder_at,
        } = *r;
        let id = db::new_id();
        diesel::insert_into(materials::table)
            .values((
                materials::id.eq(&id),
                materials::stop_id.eq(stop_id),
                materials::agenda_item_id.eq(agenda_item_id),
                materials::kind.eq(kind.as_str()),
                materials::status.eq(MaterialStatus::Requested),
                materials::title.eq(title),
                materials::owner_speaker_id.eq(owner_speaker_id),
                materials::owner_email.eq(owner_email),
                materials::created_at.eq(db::now()),
                materials::next_reminder_at.eq(first_reminder_at),
            ))
            .execute(conn)?;
        cache::record(conn, Change::Program(stop_id))?;
        Self::get(conn, &id)
    }

    /// Records what was handed in for a material; it is then received (and no more chased).
    pub fn receive(conn: &mut DbConnection, id: &str, content: &Content) -> QueryResult<Material> {
        diesel::update(materials::table.find(id))
            .set((
                materials::status.eq(MaterialStatus::Received),
                materials::storage_key.eq(&content.storage_key),
                materials::file_name.eq(&content.file_name),
                materials::content_type.eq(&content.content_type),
                materials::size_bytes.eq(content.size_bytes),
                materials::link_url.eq(&content.link_url),
                materials::body.eq(&content.body),
                materials::licence.eq(&content.licence),
                materials::people_consented.eq(content.people_consented),
                materials::uploaded_by.eq(&content.uploaded_by),
                materials::received_at.eq(Some(db::now())),
                materials::published_at.eq(None::<NaiveDateTime>),
                materials::next_reminder_at.eq(None::<NaiveDateTime>),
            ))
            .execute(conn)?;
        changed(conn, id)
    }

    /// Slides keep their talk's title and their speaker, whoever handed them in and when.
    pub fn keep_talk_and_owner(
        conn: &mut DbConnection,
        id: &str,
        title: &str,
        owner_speaker_id: Option<&str>,
    ) -> QueryResult<Material> {
        if !title.is_empty() {
            diesel::update(materials::table.find(id))
                .set(materials::title.eq(title))
                .execute(conn)?;
        }
        if let Some(owner) = owner_speaker_id {
            diesel::update(
                materials::table
                    .find(id)
                    .filter(materials::owner_speaker_id.is_null()),
            )
            .set(materials::owner_speaker_id.eq(owner))
            .execute(conn)?;
        }
        changed(conn, id)
    }

    /// What was handed in is taken back: the material is asked for again, its owner reminded
    /// from `next_reminder_at`.
    pub fn reopen(
        conn: &mut DbConnection,
        id: &str,
        next_reminder_at: NaiveDateTime,
    ) -> QueryResult<Material> {
        diesel::update(materials::table.find(id))
            .set((
                materials::status.eq(MaterialStatus::Requested),
                materials::storage_key.eq(None::<String>),
                materials::file_name.eq(None::<String>),
                materials::content_type.eq(None::<String>),
                materials::size_bytes.eq(None::<i64>),
                materials::link_url.eq(None::<String>),
                materials::body.eq(""),
                materials::licence.eq(""),
                materials::people_consented.eq(false),
                materials::uploaded_by.eq(""),
                materials::received_at.eq(None::<NaiveDateTime>),
                materials::published_at.eq(None::<NaiveDateTime>),
                materials::next_reminder_at.eq(Some(next_reminder_at)),
            ))
            .execute(conn)?;
        changed(conn, id)
    }

    /// A material handed in without a request (an extra photo set, a link).
    pub fn insert_received(
        conn: &mut DbConnection,
        stop_id: &str,
        agenda_item_id: Option<&str>,
        kind: MaterialKind,
        title: &str,
        content: &Content,
    ) -> QueryResult<Material> {
        let m = Self::request(
            conn,
            &MaterialRequest {
                stop_id,
                agenda_item_id,
                kind,
                title,
                owner_speaker_id: None,
                owner_email: None,
                first_reminder_at: None,
            },
        )?;
        Self::receive(conn, &m.id, content)
    }

    pub fn set_status(
        conn: &mut DbConnection,
        id: &str,
        status: MaterialStatus,
    ) -> QueryResult<Material> {
        let published_at = (status == MaterialStatus::Published).then(db::now);
        diesel::update(materials::table.find(id))
            .set((
                materials::status.eq(status.as_str()),
                materials::published_at.eq(published_at),
            ))
            .execute(conn)?;
        changed(conn, id)
    }

    pub fn for_stop(conn: &mut DbConnection, stop_id: &str) -> QueryResult<Vec<Material>> {
        materials::table
            .filter(materials::stop_id.eq(stop_id))
            .order((materials::kind, materials::created_at))
            .select(Material::as_select())
            .load(conn)
    }

    pub fn for_stops(conn: &mut DbConnection, stop_ids: &[String]) -> QueryResult<Vec<Material>> {
        materials::table
            .filter(materials::stop_id.eq_any(stop_ids.to_vec()))
            .order((materials::stop_id, materials::kind, materials::created_at))
            .select(Material::as_select())
            .load(conn)
    }

    pub fn for_item(conn: &mut DbConnection, agenda_item_id: &str) -> QueryResult<Vec<Material>> {
        materials::table
            .filter(materials::agenda_item_id.eq(agenda_item_id))
            .order(materials::created_at)
            .select(Material::as_select())
            .load(conn)
    }

    pub fn delete(conn: &mut DbConnection, id: &str) -> QueryResult<usize> {
        let Some(m) = Self::find(conn, id)? else {
            return Ok(0);
        };
        let n = diesel::delete(materials::table.find(id)).execute(conn)?;
        cache::record(conn, Change::Program(&m.stop_id))?;
        Ok(n)
    }

    /// Requests still open whose reminder is due.
    pub fn due_reminders(
        conn: &mut DbConnection,
        now: NaiveDateTime,
    ) -> QueryResult<Vec<Material>> {
        materials::table
            .filter(materials::status.eq(MaterialStatus::Requested))
            .filter(materials::next_reminder_at.le(now))
            .select(Material::as_select())
            .load(conn)
    }

    /// Moves the next reminder; only if nobody else did it first (several instances).
    pub fn reminded(
        conn: &mut DbConnection,
        id: &str,
        was: NaiveDateTime,
        next: Option<NaiveDateTime>,
    ) -> QueryResult<bool> {
        let n = diesel::update(
            materials::table
                .find(id)
                .filter(materials::status.eq(MaterialStatus::Requested))
                .filter(materials::next_reminder_at.eq(was)),
        )
        .set((
            materials::next_reminder_at.eq(next),
            materials::reminders_sent.eq(materials::reminders_sent + 1),
        ))
        .execute(conn)?;
        Ok(n == 1)
    }
}

/// The material as it is now, recorded as a change of its stop's program.
fn changed(conn: &mut DbConnection, id: &str) -> QueryResult<Material> {
    let m = Material::get(conn, id)?;
    cache::record(conn, Change::Program(&m.stop_id))?;
    Ok(m)
}
