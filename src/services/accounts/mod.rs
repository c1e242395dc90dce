//! Organizer accounts: the first admin, sign-in, API tokens, invitations, browsers.
//!
//! One file per concern: `organizers` (accounts, passwords, sign-in, invitations, resets),
//! `tokens` (API tokens), `sessions` (the signed-in browsers an
//! organizer sees on their account page), `setup` (the first admin).

mod organizers;
mod sessions;
mod setup;
mod tokens;

/// Where `Context` and startup look for it (it lives in `services::caller`).
pub use crate::services::caller::ApiCallers;
pub use organizers::{
    AccountInput, INVITE_VALID_FOR_DAYS, NewOrganizerInput, SIGN_IN_LINK_MINUTES,
    accept_invitation, add_invited_organizer, add_organizer, authenticate, change_password,
    check_account, invitation, invite_link, organizers, password_reset_valid,
    request_password_reset, request_sign_in_link, reset_password, reset_password_in,
    sign_in_link_valid, sign_in_with_link,
};
pub use sessions::{Account, account, revoke_session, sign_out_everywhere};
pub use setup::{complete_setup, setup_link_if_empty, setup_link_valid};
pub use tokens::{
    MAX_TOKEN_DAYS, api_tokens, create_api_token, new_api_token, revoke_api_token,
    token_for_password,
};
