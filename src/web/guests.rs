//! What the pages of people without a password (speakers, volunteers, desk helpers) share:
//! one sign-in flow (ask for a link, open it, press its button) and the page of a sign-in
//! link that was used up or expired, which offers a fresh one.

use actix_session::Session;
use actix_web::HttpResponse;
use actix_web::http::StatusCode;

use crate::error::AppError;
use crate::services::magic_links::{self, Guest};
use crate::state::AppState;
use crate::views::Ctx;
use crate::web::session;
use crate::web::{html, html_status, see_other};

/// The page of a one-time link that was used or has expired (a speaker's, a volunteer's, a
/// desk helper's): it says so and offers a fresh link by e-mail, posted to `action` (which
/// answers the same whether or not the address is known). 404 as before: the link leads
/// nowhere any more, but the page says why and what to do.
pub fn spent_link(ctx: &crate::views::Ctx, lead_key: &str, action: &str) -> HttpResponse {
    html_status(
        StatusCode::NOT_FOUND,
        crate::views::speakers::link_spent(ctx, &ctx.t(lead_key), action),
    )
}

/// `result`, or the page of a used or expired link when it says the link leads nowhere.
pub fn or_spent(
    result: Result<HttpResponse, AppError>,
    ctx: &crate::views::Ctx,
    lead_key: &str,
    action: &str,
) -> Result<HttpResponse, AppError> {
    match result {
        Err(e) if e.kind == crate::error::ErrorKind::NotFound => {
            Ok(spent_link(ctx, lead_key, action))
        }
        other => other,
    }
}

/// A guest's sign-in flow, on the web: where their pages are, and what the pages say.
pub struct Flow {
    pub guest: Guest,
    /// Their own page, where a used link lands.
    home: &'static str,
    /// Where they ask for a link (and where a spent link's page posts).
    login: &'static str,
    /// The lead of a spent link's page.
    spent: &'static str,
    /// Title, lead and button of the page an unused link opens.
    landing: [&'static str; 3],
    login_page: fn(&Ctx, bool) -> maud::Markup,
}

pub const SPEAKER: Flow = Flow {
    guest: Guest::Speaker,
    home: "/speaker",
    login: "/speaker/login",
    spent: "journeys.spent.speaker",
    landing: [
        "speaker.enter_title",
        "speaker.enter_lead",
        "speaker.enter_button",
    ],
    login_page: crate::views::speakers::portal::login,
};

pub const VOLUNTEER: Flow = Flow {
    guest: Guest::Volunteer,
    home: "/volunteer",
    login: "/volunteer/login",
    spent: "journeys.spent.volunteer",
    landing: [
        "people.volunteer.enter_title",
        "people.volunteer.enter_lead",
        "people.volunteer.enter_button",
    ],
    login_page: crate::views::volunteers::login,
};

impl Flow {
    /// `result`, or this guest's page of a used or expired link.
    pub fn or_spent(
        &self,
        result: Result<HttpResponse, AppError>,
        ctx: &Ctx,
        lead_key: &str,
    ) -> Result<HttpResponse, AppError> {
        or_spent(result, ctx, lead_key, self.login)
    }

    /// The form that asks for a sign-in link.
    pub fn login_form(&self, ctx: &Ctx) -> HttpResponse {
        html((self.login_page)(ctx, false))
    }

    /// Mails a fresh link if the address is a known guest's; the answer is the same either
    /// way (it tells nobody who speaks or helps).
    pub async fn login_submit(
        &self,
        req: &actix_web::HttpRequest,
        state: &AppState,
        ctx: &Ctx,
        email: String,
    ) -> Result<HttpResponse, AppError> {
        state
            .limits
            .check(req, crate::ratelimit::Action::SignInLink)?;
        crate::services::sign_in::request_guest_link(state, self.guest, ctx.lang, &email).await?;
        Ok(html((self.login_page)(ctx, true)))
    }

    /// Where a sign-in link lands: it is only looked at; the button uses it.
    pub async fn landing(
        &self,
        state: &AppState,
        ctx: &Ctx,
        token: String,
    ) -> Result<HttpResponse, AppError> {
        let [title, lead, button] = self.landing;
        let result = magic_links::peek(state, self.guest, &token)
            .await
            .map(|()| {
                html(crate::views::auth::link_landing(
                    ctx,
                    &ctx.t(title),
                    &ctx.t(lead),
                    &format!("{}/enter/{token}", self.home),
                    &ctx.t(button),
                ))
            });
        self.or_spent(result, ctx, self.spent)
    }

    /// The landing page's button: uses the link (once) and signs the guest in.
    pub async fn enter(
        &self,
        state: &AppState,
        ctx: &Ctx,
        session: &Session,
        token: String,
    ) -> Result<HttpResponse, AppError> {
        let used = magic_links::enter(state, self.guest, &token).await;
        let result = match used {
            Ok(id) => self
                .sign_in(state, session, &id)
                .await
                .map(|()| see_other(self.home)),
            Err(e) => Err(e),
        };
        self.or_spent(result, ctx, self.spent)
    }

    /// Signs the guest in to this browser (their other links may sign them in again).
    pub async fn sign_in(
        &self,
        state: &AppState,
        session: &Session,
        id: &str,
    ) -> Result<(), AppError> {
        match self.guest {
            Guest::Speaker => session::sign_in_speaker(state, session, id).await,
            Guest::Volunteer => session::sign_in_volunteer(state, session, id).await,
        }
    }
}
