use maud::{DOCTYPE, Markup, PreEscaped, html};

use crate::i18n::Lang;
use crate::views::components::csrf_field;
use crate::views::{Ctx, FlashKind};

/// The page frame: header with navigation and language switcher, flash messages, footer.
pub fn page(ctx: &Ctx, title: &str, body: Markup) -> Markup {
    html! {
        (DOCTYPE)
        html lang=(ctx.lang.code()) {
            head {
                meta charset="utf-8";
                meta name="viewport" content="width=device-width, initial-scale=1";
                title { (title) " · roadshow" }
                link rel="stylesheet" href="/static/style.css";
                link rel="icon" href="data:,";
            }
            body {
                a.skip href="#main" { (ctx.t("layout.skip")) }
                header.site {
                    nav aria-label=(ctx.t("layout.nav")) {
                        a.brand href="/" { "roadshow" }
                        a href="/" { (ctx.t("layout.tours")) }
                        @if let Some(me) = &ctx.signed_in {
                            a href="/manage" { (ctx.t("layout.dashboard")) }
                            a href="/manage/venues" { (ctx.t("layout.venues")) }
                            a href="/manage/account" { (ctx.t("account.link")) }
                            @if me.is_admin {
                                a href="/manage/organizers" { (ctx.t("layout.organizers")) }
                                a href="/manage/outbox" { (ctx.t("outbox.link")) }
                            }
                            form.inline method="post" action="/logout" {
                                (csrf_field(ctx))
                                button.link type="submit" { (ctx.tf("layout.sign_out", &[("name", &me.name)])) }
                            }
                        } @else if ctx.visiting.is_anyone() {
                            @if ctx.visiting.speaker { a href="/speaker" { (ctx.t("layout.my_talks")) } }
                            @if ctx.visiting.volunteer { a href="/volunteer" { (ctx.t("layout.my_tasks")) } }
                            @for stop in &ctx.visiting.desks { a href={ "/desk/" (stop) } { (ctx.t("layout.desk")) } }
                            form.inline method="post" action="/logout" {
                                (csrf_field(ctx))
                                button.link type="submit" { (ctx.t("layout.sign_out_plain")) }
                            }
                        } @else {
                            a href="/login" { (ctx.t("layout.sign_in")) }
                        }
                        span.langs {
                            @for lang in Lang::ALL {
                                @if lang == ctx.lang {
                                    strong lang=(lang.code()) { (lang.native_name()) }
                                } @else {
                                    a lang=(lang.code()) hreflang=(lang.code()) href={ "/lang/" (lang.code()) "?next=" (urlencode(&ctx.path)) } { (lang.native_name()) }
                                }
                            }
                        }
                    }
                }
                main #main {
                    @for f in &ctx.flash {
                        p.flash.(if f.kind == FlashKind::Error { "error" } else { "success" }) role="status" { (f.message) }
                    }
                    (body)
                }
                footer.site {
                    p { (ctx.t("layout.footer")) }
                }
            }
        }
    }
}

pub fn urlencode(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// Trusted, pre-rendered HTML (sanitised Markdown).
pub fn raw(html: String) -> PreEscaped<String> {
    PreEscaped(html)
}
