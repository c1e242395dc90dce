use maud::{Markup, html};
use serde::Deserialize;

use crate::error::FieldErrors;
use crate::views::Ctx;
use crate::views::components::{Field, error_summary, input, post_form};
use crate::views::layout::page;

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct LoginForm {
    pub email: String,
    pub password: String,
    pub next: String,
}

pub fn login(ctx: &Ctx, form: &LoginForm, failed: bool) -> Markup {
    let errors = FieldErrors::new();
    page(
        ctx,
        &ctx.t("login.title"),
        html! {
            h1 { (ctx.t("login.title")) }
            @if failed { p.flash.error role="alert" { (ctx.t("login.failed")) } }
            (post_form(ctx, "/login", "narrow", html! {
                input type="hidden" name="next" value=(form.next);
                (input(ctx, &errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required()))
                (input(ctx, &errors, Field::new("password", &ctx.t("field.password"), "").kind("password").required()))
                button type="submit" { (ctx.t("login.submit")) }
            }))
            p { a href="/password/forgot" { (ctx.t("reset.forgot")) } " · " a href="/login/link" { (ctx.t("login.link")) } }
        },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct AccountForm {
    pub email: String,
    pub name: String,
    pub password: String,
}

/// The first-start page: create the site admin.
pub fn setup(ctx: &Ctx, token: &str, form: &AccountForm, errors: &FieldErrors) -> Markup {
    page(
        ctx,
        &ctx.t("setup.title"),
        html! {
            h1 { (ctx.t("setup.title")) }
            p { (ctx.t("setup.lead")) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/setup/{token}"), "narrow", html! {
                (input(ctx, errors, Field::new("email", &ctx.t("field.email"), &form.email).kind("email").required()))
                (input(ctx, errors, Field::new("name", &ctx.t("field.your_name"), &form.name)))
                (input(ctx, errors, Field::new("password", &ctx.t("field.password"), "").kind("password").required().hint(&ctx.t("field.password_hint"))))
                button type="submit" { (ctx.t("setup.submit")) }
            }))
        },
    )
}

/// An invited co-organizer sets their name and password.
pub fn invite(
    ctx: &Ctx,
    token: &str,
    email: &str,
    form: &AccountForm,
    errors: &FieldErrors,
) -> Markup {
    page(
        ctx,
        &ctx.t("invite.title"),
        html! {
            h1 { (ctx.t("invite.title")) }
            p { (ctx.tf("invite.lead", &[("email", email)])) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/invite/{token}"), "narrow", html! {
                (input(ctx, errors, Field::new("name", &ctx.t("field.your_name"), &form.name)))
                (input(ctx, errors, Field::new("password", &ctx.t("field.password"), "").kind("password").required().hint(&ctx.t("field.password_hint"))))
                button type="submit" { (ctx.t("invite.submit")) }
            }))
        },
    )
}

#[derive(Deserialize, Default, Clone)]
#[serde(default)]
pub struct ForgotForm {
    pub email: String,
}

pub fn forgot_password(ctx: &Ctx, sent: bool) -> Markup {
    let errors = FieldErrors::new();
    page(
        ctx,
        &ctx.t("reset.title"),
        html! {
            h1 { (ctx.t("reset.title")) }
            @if sent {
                p.flash.success role="status" { (ctx.t("reset.sent")) }
            } @else {
                p { (ctx.t("reset.lead")) }
                (post_form(ctx, "/password/forgot", "narrow", html! {
                    (input(ctx, &errors, Field::new("email", &ctx.t("field.email"), "").kind("email").required()))
                    button type="submit" { (ctx.t("reset.send")) }
                }))
            }
        },
    )
}

pub fn reset_password(ctx: &Ctx, token: &str, errors: &FieldErrors) -> Markup {
    page(
        ctx,
        &ctx.t("reset.title"),
        html! {
            h1 { (ctx.t("reset.title")) }
            (error_summary(ctx, errors))
            (post_form(ctx, &format!("/password/reset/{token}"), "narrow", html! {
                (input(ctx, errors, Field::new("password", &ctx.t("field.new_password"), "").kind("password").required().hint(&ctx.t("field.password_hint"))))
                button type="submit" { (ctx.t("reset.submit")) }
            }))
        },
    )
}

/// Where a link from an e-mail lands: a page with one button that does what the link is for
/// (sign in, take a slot). The link is used only by the press (a POST), never by opening it,
/// because mail scanners open every link in a message before its reader does.
pub fn link_landing(ctx: &Ctx, title: &str, lead: &str, action: &str, button: &str) -> Markup {
    page(
        ctx,
        title,
        html! {
            h1 { (title) }
            p { (lead) }
            (post_form(ctx, action, "narrow", html! {
                button type="submit" { (button) }
            }))
        },
    )
}
