//! Small pieces shared by pages: form fields with their errors, badges, Markdown as markup
//! (the words and dates themselves are `crate::format`'s).

use maud::{Markup, PreEscaped, html};

use crate::error::FieldErrors;
use crate::views::Ctx;

pub fn csrf_field(ctx: &Ctx) -> Markup {
    html! { input type="hidden" name="_csrf" value=(ctx.csrf); }
}

/// A form that posts to `action` with the CSRF token.
pub fn post_form(ctx: &Ctx, action: &str, class: &str, inner: Markup) -> Markup {
    html! {
        form method="post" action=(action) class=(class) {
            (csrf_field(ctx))
            (inner)
        }
    }
}

/// A one-button form (publish, remove, move up…).
pub fn button_form(ctx: &Ctx, action: &str, label: &str, class: &str) -> Markup {
    post_form(
        ctx,
        action,
        "inline",
        html! { button type="submit" class=(class) { (label) } },
    )
}

/// The translated message of a field's error, if it has one. A refusal that names its range
/// says it in the reader's language ("Out of range: 1 to 100,000.").
pub fn field_error(ctx: &Ctx, errors: &FieldErrors, name: &str) -> Option<String> {
    errors.get(name).map(|e| {
        if let Some((min, max)) = crate::domain::text::range_of(e) {
            return ctx.tf(
                "field_error.out_of_range_between",
                &[("min", min), ("max", max)],
            );
        }
        if let Some(found) = crate::domain::message::unknown_placeholders_of(e) {
            return ctx.tf(
                "field_error.unknown_placeholder",
                &[
                    ("found", found),
                    ("list", &crate::domain::message::PLACEHOLDERS.join(" ")),
                ],
            );
        }
        let key = format!("field_error.{}", e.code);
        let text = ctx.t(&key);
        if text.starts_with("??") {
            e.message.clone()
        } else {
            text.into_owned()
        }
    })
}

pub struct Field<'a> {
    pub name: &'a str,
    pub label: &'a str,
    pub value: &'a str,
    pub kind: &'a str,
    pub required: bool,
    pub hint: Option<&'a str>,
    pub attrs: &'a [(&'a str, &'a str)],
    /// For whole numbers: the range the server takes, so a browser can say it first.
    pub range: Option<(i64, i64)>,
    /// Which form of the page the field is in, where several forms have a field of this
    /// name: ids are unique on a page, or a label names another form's field.
    pub scope: Option<&'a str>,
}

impl<'a> Field<'a> {
    pub fn new(name: &'a str, label: &'a str, value: &'a str) -> Self {
        Field {
            name,
            label,
            value,
            kind: "text",
            required: false,
            hint: None,
            attrs: &[],
            range: None,
            scope: None,
        }
    }
    /// The field is in the form `scope` of a page with several forms.
    pub fn scope(mut self, scope: &'a str) -> Self {
        self.scope = Some(scope);
        self
    }
    fn id(&self) -> String {
        field_id(self.scope, self.name)
    }
    /// A whole number from `min` to `max`.
    pub fn whole_number(mut self, min: i64, max: i64) -> Self {
        self.kind = "number";
        self.range = Some((min, max));
        self
    }
    pub fn kind(mut self, kind: &'a str) -> Self {
        self.kind = kind;
        self
    }
    pub fn required(mut self) -> Self {
        self.required = true;
        self
    }
    pub fn hint(mut self, hint: &'a str) -> Self {
        self.hint = Some(hint);
        self
    }
}

/// The id of a form's field: `f-name`, or `f-scope-name` in one of several forms.
fn field_id(scope: Option<&str>, name: &str) -> String {
    match scope {
        Some(scope) => format!("f-{scope}-{name}"),
        None => format!("f-{name}"),
    }
}

/// A labelled input with its hint and error, wired for screen readers.
pub fn input(ctx: &Ctx, errors: &FieldErrors, f: Field) -> Markup {
    let error = field_error(ctx, errors, f.name);
    let id = f.id();
    // Points at the error or the hint, only when there is one to read.
    let described = format!("{id}-help");
    let described = (error.is_some() || f.hint.is_some()).then_some(described.as_str());
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (f.label) @if f.required { " *" } }
            @if f.kind == "textarea" {
                textarea id=(id) name=(f.name) rows="5" required[f.required] aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[described] { (f.value) }
            } @else {
                input id=(id) type=(f.kind) name=(f.name) value=(f.value) required[f.required]
                    aria-invalid=[error.as_ref().map(|_| "true")] aria-describedby=[described]
                    min=[f.range.map(|r| r.0)] max=[f.range.map(|r| r.1)]
                    step=[(f.kind == "number").then_some(if f.range.is_some() { "1" } else { "any" })];
            }
            @if let Some(e) = &error { p.error id=[described] { (e) } }
            @else if let Some(h) = f.hint { p.hint id=[described] { (h) } }
        }
    }
}

/// A select from `(value, label)` choices.
pub fn select(
    ctx: &Ctx,
    errors: &FieldErrors,
    name: &str,
    label: &str,
    value: &str,
    choices: &[(String, String)],
) -> Markup {
    scoped_select(ctx, errors, None, name, label, value, choices)
}

/// A select in the form `scope` of a page with several forms (see `Field::scope`).
pub fn scoped_select(
    ctx: &Ctx,
    errors: &FieldErrors,
    scope: Option<&str>,
    name: &str,
    label: &str,
    value: &str,
    choices: &[(String, String)],
) -> Markup {
    let error = field_error(ctx, errors, name);
    let id = field_id(scope, name);
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for (v, l) in choices {
                    option value=(v) selected[v == value] { (l) }
                }
            }
            @if let Some(e) = &error { p.error { (e) } }
        }
    }
}

pub fn checkbox(name: &str, label: &str, checked: bool) -> Markup {
    html! {
        div.field.check {
            label { input type="checkbox" name=(name) value="on" checked[checked]; " " (label) }
        }
    }
}

/// A summary of the errors at the top of a form.
pub fn error_summary(ctx: &Ctx, errors: &FieldErrors) -> Markup {
    html! {
        @if !errors.is_empty() {
            div.flash.error role="alert" { (ctx.t("form.has_errors")) }
        }
    }
}

/// Markdown written by organizers, as markup (see `format::markdown_html`).
pub fn markdown(text: &str) -> PreEscaped<String> {
    PreEscaped(crate::format::markdown_html(text))
}

pub fn status_badge(ctx: &Ctx, kind: &str, status: impl std::fmt::Display) -> Markup {
    html! { span class={ "badge " (status) } { (ctx.t(&format!("{kind}.{status}"))) } }
}

/// The time zones offered in forms: the common ones first, then all.
/// The time zones to choose from, by region (`<optgroup>`s for `grouped_select`): the
/// canonical ones only, and `current` too if it is a legacy name a stop was saved with, so
/// editing the stop does not move it.
pub fn timezone_choices(ctx: &Ctx, current: &str) -> Vec<(String, Vec<(String, String)>)> {
    use crate::domain::zones;
    let mut groups: Vec<(String, Vec<(String, String)>)> = zones::grouped()
        .into_iter()
        .map(|(region, list)| {
            let label = ctx.t(&format!("zone.region.{region}")).into_owned();
            let choices = list
                .into_iter()
                .map(|tz| (tz.name().to_owned(), zones::place(tz)))
                .collect();
            (label, choices)
        })
        .collect();
    let listed = groups
        .iter()
        .flat_map(|(_, c)| c)
        .any(|(v, _)| v == current);
    if !listed && current.parse::<chrono_tz::Tz>().is_ok() {
        groups.push((
            ctx.t("zone.region.legacy").into_owned(),
            vec![(current.to_owned(), current.to_owned())],
        ));
    }
    groups
}

/// A `select` whose choices are in labelled groups (`<optgroup>`).
pub fn grouped_select(
    ctx: &Ctx,
    errors: &FieldErrors,
    name: &str,
    label: &str,
    value: &str,
    groups: &[(String, Vec<(String, String)>)],
) -> Markup {
    let error = field_error(ctx, errors, name);
    let id = format!("f-{name}");
    html! {
        div.field.invalid[error.is_some()] {
            label for=(id) { (label) }
            select id=(id) name=(name) {
                @for (group, choices) in groups {
                    optgroup label=(group) {
                        @for (v, l) in choices {
                            option value=(v) selected[v == value] { (l) }
                        }
                    }
                }
            }
            @if let Some(e) = &error { p.error { (e) } }
        }
    }
}

/// The organizers' word about a cancelled or moved stop, where its people look.
pub fn organizers_notice(ctx: &Ctx, notice: Option<&str>) -> Markup {
    html! {
        @if let Some(text) = notice.filter(|t| !t.trim().is_empty()) {
            blockquote.organizers-notice {
                // The colon carries its own space in English and none in Chinese.
                strong { (ctx.t("lifecycle.notice")) } (ctx.lang.colon()) (text)
            }
        }
    }
}

/// A destructive action that asks first: the button opens an explanation of what will
/// happen, with the button that does it (no script needed, works on a phone).
pub fn confirm_form(
    ctx: &Ctx,
    action: &str,
    opener: &str,
    explanation: &str,
    button: &str,
) -> Markup {
    html! {
        details.confirm {
            summary { (opener) }
            p { (explanation) }
            (post_form(ctx, action, "inline", html! {
                button.danger type="submit" { (button) }
            }))
        }
    }
}
