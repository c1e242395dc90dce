//! Every kind of message: a subject, a plain-text body and an HTML body (maud), in the
//! recipient's language, with links built from the public base URL. One file per audience
//! or concern, on the blocks of `parts`; `email::Mail` says which template each kind uses.

pub mod accounts;
pub mod attendees;
pub mod bulk;
pub mod lifecycle;
pub mod parts;
pub mod people;
pub mod speakers;
pub mod venues;
pub mod volunteers;
