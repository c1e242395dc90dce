//! Read models: what a page or an API answer shows, as plain data. Services build them from
//! the models; views and handlers only read them. Below services and views, above models, so
//! a view never needs a service to know the shape of what it shows.

pub mod agenda;
pub mod bulk;
pub mod dashboards;
pub mod materials;
pub mod public;
pub mod registrations;
pub mod report;
pub mod speakers;
pub mod stop;
pub mod venues;
pub mod volunteers;
