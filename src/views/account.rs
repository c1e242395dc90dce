//! The organizer's own account: password, signed-in browsers, API tokens.

use maud::{Markup, html};

use crate::error::FieldErrors;
use crate::models::api_token::ApiToken;
use crate::models::session::BrowserSession;
use crate::views::Ctx;
use crate::views::components::{Field, confirm_form, error_summary, input, post_form, select};
use crate::views::layout::page;

pub struct AccountPage<'a> {
    pub email: &'a str,
    pub sessions: &'a [BrowserSession],
    /// The hash naming this browser's session, to mark it.
    pub this_session: Option<&'a str>,
    pub tokens: &'a [ApiToken],
    /// A token just created: shown this once.
    pub new_token: Option<&'a str>,
    pub password_errors: &'a FieldErrors,
    pub token_errors: &'a FieldErrors,
}

/// Times on this page are the server's UTC: a session has no time zone of its own.
fn when(t: chrono::NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M UTC").to_string()
}

pub fn account(ctx: &Ctx, p: AccountPage) -> Markup {
    let expiry_choices: Vec<(String, String)> = [("30", 30), ("90", 90), ("365", 365)]
        .iter()
        .map(|(v, d)| {
            (
                (*v).to_owned(),
                ctx.lang.tn("account.token_days", i64::from(*d), &[]),
            )
        })
        .chain(std::iter::once((
            String::new(),
            ctx.t("account.token_never").into_owned(),
        )))
        .collect();
    page(
        ctx,
        &ctx.t("account.title"),
        html! {
            h1 { (ctx.t("account.title")) }
            p { (p.email) }

            section #password {
                h2 { (ctx.t("account.password")) }
                p.hint { (ctx.t("account.password_lead")) }
                (error_summary(ctx, p.password_errors))
                (post_form(ctx, "/manage/account/password", "narrow", html! {
                    (input(ctx, p.password_errors, Field::new("current_password", &ctx.t("account.current_password"), "").kind("password").required()))
                    (input(ctx, p.password_errors, Field::new("password", &ctx.t("account.new_password"), "").kind("password").required().hint(&ctx.t("field.password_hint"))))
                    button type="submit" { (ctx.t("account.password_submit")) }
                }))
            }

            section #sessions {
                h2 { (ctx.t("account.sessions")) }
                ul.cards {
                    @for s in p.sessions {
                        li {
                            strong {
                                @if s.user_agent.is_empty() { (ctx.t("account.session_unknown")) } @else { (s.user_agent) }
                            }
                            @if p.this_session == Some(s.id.as_str()) { " · " em { (ctx.t("account.session_this")) } }
                            br;
                            span.hint { (ctx.tf("account.session_since", &[("since", &when(s.created_at)), ("seen", &when(s.last_seen_at))])) }
                            @if p.this_session != Some(s.id.as_str()) {
                                (post_form(ctx, &format!("/manage/account/sessions/{}/revoke", s.id), "inline", html! {
                                    button.link.danger type="submit" { (ctx.t("account.session_revoke")) }
                                }))
                            }
                        }
                    }
                }
                p.hint { (ctx.t("account.everywhere_lead")) }
                (confirm_form(ctx, "/manage/account/sign-out-everywhere", &ctx.t("account.everywhere"), &ctx.t("account.everywhere_confirm"), &ctx.t("account.everywhere")))
            }

            section #tokens {
                h2 { (ctx.t("account.tokens")) }
                p.hint { (ctx.t("account.tokens_lead")) }
                @if let Some(token) = p.new_token {
                    div.flash.success role="status" {
                        p { (ctx.t("account.token_created_once")) }
                        input.copy type="text" readonly value=(token) aria-label=(ctx.t("account.token_created_once"));
                    }
                }
                @if p.tokens.is_empty() {
                    p { (ctx.t("account.tokens_none")) }
                } @else {
                    ul.cards {
                        @for t in p.tokens {
                            li {
                                strong { (t.label) }
                                br;
                                span.hint {
                                    (ctx.tf("account.token_created", &[("date", &when(t.created_at))]))
                                    " · "
                                    @match t.last_used_at {
                                        Some(u) => (ctx.tf("account.token_last_used", &[("date", &when(u))])),
                                        None => (ctx.t("account.token_unused")),
                                    }
                                    " · "
                                    @match t.expires_at {
                                        Some(e) => (ctx.tf("account.token_expires_on", &[("date", &when(e))])),
                                        None => (ctx.t("account.token_never")),
                                    }
                                }
                                (confirm_form(ctx, &format!("/manage/account/tokens/{}/revoke", t.id), &ctx.t("account.token_revoke"), &ctx.t("account.token_revoke_confirm"), &ctx.t("account.token_revoke")))
                            }
                        }
                    }
                }
                h3 { (ctx.t("account.token_create")) }
                (error_summary(ctx, p.token_errors))
                (post_form(ctx, "/manage/account/tokens", "narrow", html! {
                    (input(ctx, p.token_errors, Field::new("label", &ctx.t("account.token_label"), "")))
                    (select(ctx, p.token_errors, "expires_in_days", &ctx.t("account.token_expires"), "90", &expiry_choices))
                    button type="submit" { (ctx.t("account.token_create")) }
                }))
            }
        },
    )
}

/// Ask for a one-time sign-in link by e-mail.
pub fn sign_in_link_form(ctx: &Ctx, sent: bool) -> Markup {
    let errors = FieldErrors::new();
    page(
        ctx,
        &ctx.t("login.link_title"),
        html! {
            h1 { (ctx.t("login.link_title")) }
            @if sent {
                p.flash.success role="status" { (ctx.t("login.link_sent")) }
            } @else {
                p { (ctx.t("login.link_lead")) }
                (post_form(ctx, "/login/link", "narrow", html! {
                    (input(ctx, &errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("login.link_send")) }
                }))
            }
        },
    )
}
