//! Organizer accounts: the first admin, sign-in, API tokens, invitations, browsers.
//!
//! One file per concern: `organizers` (accounts, invitations, the admin's list),
//! `sign_in` (passwords checked with a backoff, e-mailed sign-in links), `passwords`
//! (changes and resets), `tokens` (API tokens), `sessions` (the signed-in browsers an
//! organizer sees on their account page), `setup` (the first admin).

mod organizers;
mod passwords;
mod sessions;
mod setup;
mod sign_in;
mod tokens;

/// Where `Context` and startup look for it (it lives in `services::caller`).
pub use crate::services::caller::ApiCallers;
pub use organizers::{
    AccountInput, INVITE_VALID_FOR_DAYS, NewOrganizerInput, accept_invitation,
    add_invited_organizer, add_organizer, check_account, invitation, invite_link, organizers,
};
pub use passwords::{
    change_password, password_reset_valid, request_password_reset, reset_password,
    reset_password_in,
};
pub use sessions::{Account, account, revoke_session, sign_out_everywhere};
pub use setup::{complete_setup, setup_link_if_empty, setup_link_valid};
pub use sign_in::{
    SIGN_IN_LINK_MINUTES, authenticate, request_sign_in_link, sign_in_link_valid, sign_in_with_link,
};
pub use tokens::{
    MAX_TOKEN_DAYS, api_tokens, create_api_token, new_api_token, revoke_api_token,
    token_for_password,
};
