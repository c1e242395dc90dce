//! The organizers' pages of a stop: the stop's page and its forms, its status changes
//! (cancelling asks first), its venues (backups, the venue switch) and its people
//! (supporters, desk helpers).

mod pages;
mod people;
mod status;
mod venues;

use crate::domain::ids::StopId;
use crate::domain::stop::{local_to_utc, timezone};
use crate::domain::text;
use crate::error::{AppError, FieldError};
use crate::services::stops::{self, StopInput};
use crate::state::AppState;
use crate::views::manage::stops::StopForm;
use crate::web::session::OrganizerPage;

pub use pages::{
    edit_stop_form, edit_stop_submit, new_stop_form, new_stop_submit, preview_stop, stop_page,
};
pub use people::{add_desk_helper, add_supporter, remove_desk_helper, remove_supporter};
pub use status::{set_stop_status, stop_status_page};
pub use venues::{add_backup, change_backup, switch_preview, switch_venue};

/// Local times are read in the chosen zone; if the zone is wrong, that is the error shown.
fn local_time(
    value: &str,
    tz: Result<chrono_tz::Tz, FieldError>,
) -> Result<chrono::NaiveDateTime, FieldError> {
    let tz = tz?;
    local_to_utc(value, tz)
}

/// An optional whole number typed into a form: empty is "none".
fn optional_number(value: &str) -> Result<Option<i64>, FieldError> {
    if value.trim().is_empty() {
        Ok(None)
    } else {
        text::parse_number(value, 0, i64::from(i32::MAX)).map(|n| Some(i64::from(n)))
    }
}

fn stop_input(form: &StopForm, creating: bool, languages: &[String]) -> StopInput {
    let tz = timezone(&form.timezone);
    let show_rate = if form.show_rate.trim().is_empty() {
        Ok(None)
    } else {
        text::parse_show_rate(&form.show_rate).map(Some)
    };
    StopInput {
        city: Some(form.city.clone()),
        starts_at: Some(local_time(&form.starts_at, tz.clone())),
        ends_at: Some(local_time(&form.ends_at, tz)),
        timezone: Some(form.timezone.clone()),
        venue_id: Some(form.venue_id.clone()),
        backup_venue_ids: creating.then(|| form.backups()),
        capacity: Some(optional_number(&form.capacity)),
        show_rate: Some(show_rate),
        livestream_url: Some(Some(form.livestream_url.clone())),
        online_viewers: (!creating).then(|| optional_number(&form.online_viewers)),
        status: None,
        translations: crate::domain::content::Translations::new(languages, form.texts.input()),
    }
}

/// The time zone of a stop the organizer runs: the one times typed on its forms are in
/// (the agenda builder's and the tasks' forms too). `stop_id` is a page's id already
/// read from its path.
pub(crate) async fn stop_tz(
    state: &AppState,
    page: &OrganizerPage,
    stop_id: &str,
) -> Result<chrono_tz::Tz, AppError> {
    stops::stop_tz(state, &page.organizer, &StopId::from(stop_id)).await
}
