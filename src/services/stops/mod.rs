//! Stops: the organizers' use cases (create, change, clone, backups, supporters), what
//! their pages read, and the public stop.

mod backups;
mod input;
mod pages;
mod supporters;
mod write;

pub use backups::{add_backup, move_backup, remove_backup};
pub use input::StopInput;
pub use pages::{
    EditStopForm, NewStopForm, StopPageData, edit_stop_form, list_stops, new_stop_form,
    preview_stop, public_stop, stop_detail, stop_page, stop_tz,
};
pub use supporters::{add_supporter, remove_supporter};
pub use write::{
    Updated, clone_stop, clone_stop_local, create_stop, update_stop, update_stop_telling,
};
