//! The scheduler's record of what it has done for each stop (`stop_jobs`): a reminder sent,
//! "still coming?" asked, material requests opened. Claiming a job is its one write, so two
//! instances running the scheduler never both do it.

use chrono::NaiveDateTime;
use diesel::prelude::*;
use diesel::sql_types::{Text, Timestamp};

use crate::db::DbConnection;
use crate::db::schema::stop_jobs;

/// The job that opens a stop's material requests once it has ended.
pub const MATERIALS: &str = "materials";

pub struct StopJob;

impl StopJob {
    /// Claims `job` for the stop; false if it was done already (by anyone).
    pub fn claim(
        conn: &mut DbConnection,
        stop_id: &str,
        job: &str,
        now: NaiveDateTime,
    ) -> QueryResult<bool> {
        let n = diesel::sql_query(
            "INSERT INTO stop_jobs (stop_id, job, done_at) VALUES ($1, $2, $3) \
             ON CONFLICT DO NOTHING",
        )
        .bind::<Text, _>(stop_id)
        .bind::<Text, _>(job)
        .bind::<Timestamp, _>(now)
        .execute(conn)?;
        Ok(n == 1)
    }

    /// The jobs done for a stop, with when.
    pub fn done(
        conn: &mut DbConnection,
        stop_id: &str,
    ) -> QueryResult<Vec<(String, NaiveDateTime)>> {
        stop_jobs::table
            .filter(stop_jobs::stop_id.eq(stop_id))
            .select((stop_jobs::job, stop_jobs::done_at))
            .load(conn)
    }

    /// Forgets that these jobs were done: they are due again.
    pub fn forget(conn: &mut DbConnection, stop_id: &str, jobs: &[String]) -> QueryResult<usize> {
        diesel::delete(
            stop_jobs::table
                .filter(stop_jobs::stop_id.eq(stop_id))
                .filter(stop_jobs::job.eq_any(jobs)),
        )
        .execute(conn)
    }
}
