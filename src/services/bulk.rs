//! Messages an organizer writes to a segment of a stop's or a tour's people: previewed per
//! language with the placeholders filled for a sample recipient, the number of people in
//! each segment next to the choice, tested on the organizer's own address, then sent as one
//! e-mail per person (nobody sees another's address).
//!
//! The organizer may write the message in English, in Simplified Chinese or both. Each
//! recipient gets the text in their language, else the other one, and the whole e-mail is in
//! the language of the text they get: its placeholders (`{date}`) and the template's one
//! line of its own (why they get it). The template adds no greeting: the message starts with
//! what the organizer wrote (`{name}` where they want the name).

use crate::db::{self, DbConnection};
use crate::domain::ids::TourId;
use crate::domain::message::{self as rules, Segment, field_name};
use crate::domain::text;
use crate::email::{self, Email, Mail};
use crate::error::{AppError, FieldCode, Validator};
use crate::i18n::Lang;
use crate::models::access::stops_in_reach;
use crate::models::audience::Person;
use crate::models::organizer::Organizer;
use crate::models::registration::Registration;
use crate::models::stop::Stop;
use crate::models::tour::Tour;
use crate::read::bulk::{FormData, Preview, Version};
use crate::services::context::Context;
use crate::services::stop_context::StopContext;
use crate::services::{Env, access};

/// The message in one language, as written, with the names of the fields it came from (so
/// an error names the field the organizer filled).
#[derive(Clone, Debug, Default)]
pub struct MessageText {
    pub lang: Lang,
    pub subject: String,
    /// Markdown, with placeholders such as {name} and {manage_link}.
    pub body: String,
    pub subject_field: String,
    pub body_field: String,
}

impl MessageText {
    /// The text of `lang` from the form's fields of that language (`subject_en`,
    /// `body_zh_cn`: `field_name`).
    pub fn of_lang(lang: Lang, subject: &str, body: &str) -> Self {
        MessageText {
            lang,
            subject: subject.to_owned(),
            body: body.to_owned(),
            subject_field: field_name("subject", lang),
            body_field: field_name("body", lang),
        }
    }

    /// One text for everyone, in `lang`, from fields named `subject` and `body`.
    pub fn single(lang: Lang, subject: &str, body: &str) -> Self {
        MessageText {
            lang,
            subject: subject.to_owned(),
            body: body.to_owned(),
            subject_field: "subject".into(),
            body_field: "body".into(),
        }
    }

    fn is_empty(&self) -> bool {
        self.subject.trim().is_empty() && self.body.trim().is_empty()
    }
}

/// What the organizer wrote.
#[derive(Clone, Debug, Default)]
pub struct Draft {
    pub tour_id: TourId,
    /// None: every stop of the tour the organizer runs.
    pub stop_id: Option<String>,
    pub segment: String,
    /// The texts per language; those left empty are not given.
    pub texts: Vec<MessageText>,
}

/// One person to write to, with the stop their message is about.
struct Recipient {
    email: String,
    name: String,
    lang: Lang,
    stop_id: String,
    /// Attendees: their registration (for {manage_link}).
    registration_id: Option<String>,
}

impl From<Person> for Recipient {
    fn from(p: Person) -> Self {
        Recipient {
            lang: Lang::from_code(&p.lang).unwrap_or_default(),
            email: p.email,
            name: p.name,
            stop_id: p.stop_id,
            registration_id: p.registration_id,
        }
    }
}

struct Text {
    subject: String,
    body: String,
}

struct Checked {
    segment: Segment,
    /// The texts given, by language, in the order written.
    texts: Vec<(Lang, Text)>,
}

fn check(draft: &Draft) -> Result<Checked, AppError> {
    let mut v = Validator::new();
    let segment = match Segment::parse(draft.segment.trim()) {
        Some(s) => Some(s),
        None => {
            v.add(
                "segment",
                FieldCode::InvalidChoice,
                format!("must be one of: {}", Segment::choices()),
            );
            None
        }
    };
    let given: Vec<&MessageText> = draft.texts.iter().filter(|t| !t.is_empty()).collect();
    let mut texts = Vec::new();
    if given.is_empty() {
        // Nothing written: the first language's fields are the ones to fill.
        if let Some(first) = draft.texts.first() {
            v.add(&first.subject_field, FieldCode::Required, "is required");
            v.add(&first.body_field, FieldCode::Required, "is required");
        } else {
            v.add("subject", FieldCode::Required, "is required");
            v.add("body", FieldCode::Required, "is required");
        }
    }
    for t in given {
        let subject = v.check(&t.subject_field, text::required_line(&t.subject, 200));
        let body = v.check(&t.body_field, text::required(&t.body, 20_000));
        for (field, value) in [(&t.subject_field, &subject), (&t.body_field, &body)] {
            if let Some(value) = value {
                let unknown = rules::unknown_placeholders(value);
                if !unknown.is_empty() {
                    v.check::<()>(field, Err(rules::unknown_placeholder_error(&unknown)));
                }
            }
        }
        if texts.iter().any(|(lang, _)| *lang == t.lang) {
            continue;
        }
        texts.push((
            t.lang,
            Text {
                subject: subject.unwrap_or_default(),
                body: body.unwrap_or_default(),
            },
        ));
    }
    v.finish()?;
    Ok(Checked {
        segment: segment.unwrap_or(Segment::Confirmed),
        texts,
    })
}

/// The stops in scope: the one named, or all those of the tour the organizer runs.
fn stops_in_scope(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    stop_id: Option<&str>,
) -> Result<(Tour, Vec<Stop>), AppError> {
    let (tour, reach) = access::tour_for(conn, organizer, tour_id)?;
    match stop_id.filter(|s| !s.is_empty()) {
        Some(stop_id) => {
            let (stop, stop_tour, _) = access::stop_for(conn, organizer, stop_id)?;
            if stop_tour.id != tour.id {
                return Err(AppError::not_found("stop"));
            }
            Ok((tour, vec![stop]))
        }
        None => {
            let stops = stops_in_reach(conn, &tour.id, &reach)?;
            Ok((tour, stops))
        }
    }
}

fn ids(stops: &[Stop]) -> Vec<String> {
    stops.iter().map(|s| s.id.clone()).collect()
}

fn recipients(
    conn: &mut DbConnection,
    stops: &[Stop],
    segment: Segment,
) -> Result<Vec<Recipient>, AppError> {
    Ok(Person::of_segment(conn, &ids(stops), segment)?
        .into_iter()
        .map(Recipient::from)
        .collect())
}

fn fill(template: &str, values: &[(&str, String)]) -> String {
    let mut out = template.to_owned();
    for (key, value) in values {
        out = out.replace(key, value);
    }
    out
}

/// The message `r` gets (in the language of the text they get, which it returns).
fn message<'a>(
    ctx: &StopContext,
    tour: &'a Tour,
    r: &Recipient,
    checked: &Checked,
    manage_link: &str,
    test: Option<usize>,
) -> Option<(Lang, Mail<'a>)> {
    let (lang, text) = rules::text_for(&checked.texts, r.lang)?;
    let lang = *lang;
    let values = [
        ("{name}", r.name.clone()),
        ("{tour}", tour.name.clone()),
        ("{city}", ctx.stop.city.clone()),
        (
            "{date}",
            crate::format::time_range(lang, ctx.stop.starts_at, ctx.stop.ends_at, ctx.stop.tz()),
        ),
        ("{venue}", ctx.venue.name.clone()),
        ("{address}", ctx.venue.address.clone()),
        ("{manage_link}", manage_link.to_owned()),
    ];
    Some((
        lang,
        Mail::Bulk {
            subject: fill(&text.subject, &values),
            body: fill(&text.body, &values),
            tour: &tour.name,
            test,
        },
    ))
}

/// The form: the tour, the stops the organizer may write to, and how many people each
/// segment holds in the scope shown (`stop`, or the whole tour).
pub async fn message_form(
    ctx: &Context,
    organizer: &Organizer,
    tour: &TourId,
    stop: Option<String>,
) -> Result<FormData, AppError> {
    let (organizer, tour) = (organizer.clone(), tour.clone());
    ctx.db
        .run(move |conn| message_form_in(conn, &organizer, &tour, stop.as_deref()))
        .await
}

fn message_form_in(
    conn: &mut DbConnection,
    organizer: &Organizer,
    tour_id: &str,
    stop: Option<&str>,
) -> Result<FormData, AppError> {
    let (tour, access) = access::tour_for(conn, organizer, tour_id)?;
    let stops = stops_in_reach(conn, &tour.id, &access)?;
    // A stop not in reach counts as the whole tour here; the preview refuses it.
    let scope: Vec<String> = match stop.filter(|s| !s.is_empty()) {
        Some(id) if stops.iter().any(|s| s.id == id) => vec![id.to_owned()],
        _ => ids(&stops),
    };
    let counts = Person::segment_counts(conn, &scope)?
        .into_iter()
        .map(|(s, n)| (s, usize::try_from(n).unwrap_or(0)))
        .collect();
    Ok(FormData {
        tour,
        stops,
        counts,
    })
}

/// The message per language, filled for a sample recipient, and how many it would go to.
pub async fn preview(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<Preview, AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| preview_in(conn, &env, &organizer, &draft))
        .await
}

/// `preview` with what the form shows again around it.
pub async fn preview_in_form(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<(Preview, FormData), AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| {
            let preview = preview_in(conn, &env, &organizer, &draft)?;
            let form = message_form_in(conn, &organizer, &draft.tour_id, draft.stop_id.as_deref())?;
            Ok((preview, form))
        })
        .await
}

/// The sample recipient of each language: the first who gets that text, else the first of
/// all, else the organizer (at the first stop in scope), so an empty segment still shows
/// how the message reads.
fn sample_for<'a>(
    list: &'a [Recipient],
    organizer_sample: Option<&'a Recipient>,
    checked: &Checked,
    lang: Lang,
) -> Option<&'a Recipient> {
    list.iter()
        .find(|r| rules::text_for(&checked.texts, r.lang).is_some_and(|(l, _)| *l == lang))
        .or(list.first())
        .or(organizer_sample)
}

fn organizer_as_recipient(organizer: &Organizer, stops: &[Stop], lang: Lang) -> Option<Recipient> {
    stops.first().map(|s| Recipient {
        email: organizer.email.clone(),
        name: organizer.display_name().to_owned(),
        lang,
        stop_id: s.id.clone(),
        registration_id: None,
    })
}

/// The recipient a version in `lang` is shown or tried with (see `sample_for`), as a reader of
/// that language whatever their own.
fn sample_reader(
    list: &[Recipient],
    organizer: &Organizer,
    stops: &[Stop],
    checked: &Checked,
    lang: Lang,
) -> Option<Recipient> {
    let own = organizer_as_recipient(organizer, stops, lang);
    let sample = sample_for(list, own.as_ref(), checked, lang)?;
    Some(Recipient {
        email: sample.email.clone(),
        name: sample.name.clone(),
        lang,
        stop_id: sample.stop_id.clone(),
        registration_id: sample.registration_id.clone(),
    })
}

/// What an example manage link looks like (a preview or a test shows no one's real link).
fn example_link(env: &Env, r: &Recipient) -> String {
    if r.registration_id.is_some() {
        env.links.url("/r/…")
    } else {
        String::new()
    }
}

fn preview_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<Preview, AppError> {
    let checked = check(draft)?;
    let (tour, stops) = stops_in_scope(conn, organizer, &draft.tour_id, draft.stop_id.as_deref())?;
    let list = recipients(conn, &stops, checked.segment)?;
    let mut versions = Vec::new();
    for (lang, _) in &checked.texts {
        let Some(as_reader) = sample_reader(&list, organizer, &stops, &checked, *lang) else {
            continue;
        };
        let ctx = StopContext::load(conn, &as_reader.stop_id)?;
        let link = example_link(env, &as_reader);
        let Some((lang, mail)) = message(&ctx, &tour, &as_reader, &checked, &link, None) else {
            continue;
        };
        let body_html = match &mail {
            Mail::Bulk { body, .. } => crate::format::markdown_html(body),
            _ => String::new(),
        };
        versions.push(Version {
            lang,
            recipients: list
                .iter()
                .filter(|r| {
                    rules::text_for(&checked.texts, r.lang).is_some_and(|(l, _)| *l == lang)
                })
                .count(),
            sample_name: as_reader.name.clone(),
            rendered: mail.render(lang),
            body_html,
        });
    }
    Ok(Preview {
        segment: checked.segment,
        recipients: list.len(),
        versions,
    })
}

/// Queues one e-mail per recipient, all in one transaction; returns (batch id, count).
pub async fn send(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<(String, usize), AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| send_in(conn, &env, &organizer, &draft))
        .await
}

#[tracing::instrument(skip(conn, env, draft), fields(organizer = %organizer.id))]
fn send_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<(String, usize), AppError> {
    let checked = check(draft)?;
    db::write_transaction(conn, |conn| {
        let (tour, stops) =
            stops_in_scope(conn, organizer, &draft.tour_id, draft.stop_id.as_deref())?;
        let list = recipients(conn, &stops, checked.segment)?;
        let batch = db::new_id();
        let uses_link = checked
            .texts
            .iter()
            .any(|(_, t)| t.body.contains("{manage_link}") || t.subject.contains("{manage_link}"));
        let mut contexts: Vec<StopContext> = Vec::new();
        for r in &list {
            if !contexts.iter().any(|c| c.stop.id == r.stop_id) {
                contexts.push(StopContext::load(conn, &r.stop_id)?);
            }
            let ctx = contexts
                .iter()
                .find(|c| c.stop.id == r.stop_id)
                .ok_or_else(|| AppError::not_found("stop"))?;
            // The registration's one manage link, the same as in its other e-mails.
            let link = match (&r.registration_id, uses_link) {
                (Some(id), true) => {
                    let registration = Registration::get(conn, id)?;
                    crate::services::registrations::manage_link(conn, env, &registration)?
                        .unwrap_or_default()
                }
                _ => String::new(),
            };
            let Some((lang, content)) = message(ctx, &tour, r, &checked, &link, None) else {
                continue;
            };
            let mut mail = Email::new(content, lang, &r.email, &r.name)
                .for_stop(&tour.id, &ctx.stop.id)
                .reply_to(tour.contact_email.as_deref());
            mail.batch_id = Some(batch.clone());
            email::enqueue(conn, &env.links, mail)?;
        }
        Ok((batch, list.len()))
    })
}

/// "Send a test to me": the message in each language given, filled for the sample
/// recipient of the preview, to the organizer's own address only, marked as a test (its
/// subject and first line) and in no batch: nobody of the segment gets it. Returns how many
/// test messages were queued (one per language).
pub async fn send_test(
    ctx: &Context,
    organizer: &Organizer,
    draft: Draft,
) -> Result<usize, AppError> {
    let (env, organizer) = (ctx.env.clone(), organizer.clone());
    ctx.db
        .run(move |conn| send_test_in(conn, &env, &organizer, &draft))
        .await
}

fn send_test_in(
    conn: &mut DbConnection,
    env: &Env,
    organizer: &Organizer,
    draft: &Draft,
) -> Result<usize, AppError> {
    let checked = check(draft)?;
    db::write_transaction(conn, |conn| {
        let (tour, stops) =
            stops_in_scope(conn, organizer, &draft.tour_id, draft.stop_id.as_deref())?;
        let list = recipients(conn, &stops, checked.segment)?;
        let mut queued = 0;
        for (lang, _) in &checked.texts {
            let Some(sample) = sample_reader(&list, organizer, &stops, &checked, *lang) else {
                continue;
            };
            let as_reader = Recipient {
                email: organizer.email.clone(),
                ..sample
            };
            let ctx = StopContext::load(conn, &as_reader.stop_id)?;
            let link = example_link(env, &as_reader);
            let Some((lang, content)) =
                message(&ctx, &tour, &as_reader, &checked, &link, Some(list.len()))
            else {
                continue;
            };
            email::enqueue(
                conn,
                &env.links,
                Email::new(content, lang, &organizer.email, organizer.display_name())
                    .for_stop(&tour.id, &ctx.stop.id),
            )?;
            queued += 1;
        }
        Ok(queued)
    })
}
