//! A tour running now, with its stops placed around today (the app's clock): one done a week
//! ago with materials half collected and a few no-shows, one in progress for the desk, one
//! open near its target, one past it with a waitlist, one further off just announced. Built
//! through the use cases an organizer, the attendees, the speakers and the volunteers would
//! go through, so every figure, counter and cached page is what they would make. Only what
//! no person can do is written here: the done stop's check-ins and requests are dated to the
//! day it happened, and the e-mails the use cases queued for the made-up people are dropped.

use chrono::{Duration, NaiveDateTime, Timelike};
use diesel::prelude::*;

use crate::db::schema::{materials, outbox, registrations as rows};
use crate::db::{self, DbConnection};
use crate::domain::ids::{MaterialId, ProposalId, StopId, TaskId, TourId, VenueId};
use crate::domain::stop::{local_to_utc, timezone};
use crate::error::AppError;
use crate::i18n::Lang;
use crate::models::material::Material;
use crate::models::organizer::Organizer;
use crate::models::speaker::Speaker;
use crate::models::talk::Talk;
use crate::models::task::Task;
use crate::models::tour::Tour;
use crate::services::agenda::{self, ItemInput};
use crate::services::collection::{self, Handler};
use crate::services::context::Context;
use crate::services::desk::{self, Scan};
use crate::services::registrations::{self, RegistrationInput};
use crate::services::speakers::{self, PersonInput, ProposalInput};
use crate::services::stops::{self, StopInput};
use crate::services::tours::{self, TourInput};
use crate::services::venues::{self, VenueInput};
use crate::services::volunteers as volunteering;

use super::bad;

/// The current tour's address (how a second run finds it).
pub const SLUG: &str = "open-source-china-tour";
const ZONE: &str = "Asia/Shanghai";

/// What the current tour holds, for the command line to print.
pub struct Current {
    pub tour: Tour,
    /// False when the tour was there already (nothing was added).
    pub created: bool,
    /// Its stops by their part of the story (empty when it was there already).
    pub stops: Vec<(Part, String)>,
}

/// The part of the story a stop of the current tour tells.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Part {
    /// Done eight days ago: no-shows, materials half handed in, the rest overdue.
    Done,
    /// In progress today: the desk has checked in part of the room.
    Today,
    /// Open, near its target.
    NearTarget,
    /// Open, past its target: a waitlist.
    Waitlisted,
    /// Announced a month ahead, the call for proposals naming it.
    Later,
}

impl Part {
    pub fn describe(self) -> &'static str {
        match self {
            Part::Done => "done last week, materials half collected, a few no-shows",
            Part::Today => "in progress today, for the check-in desk",
            Part::NearTarget => "open, near its registration target",
            Part::Waitlisted => "open, past its target, with a waitlist",
            Part::Later => "announced, a month ahead",
        }
    }
}

struct Plan {
    part: Part,
    city: &'static str,
    /// Days from today (local date in Shanghai).
    days: i64,
    venue: (&'static str, &'static str, i64),
    backups: &'static [(&'static str, &'static str, i64)],
    registrations: usize,
    checked_in: usize,
}

const PLANS: &[Plan] = &[
    Plan {
        part: Part::Done,
        city: "Shanghai 上海",
        days: -8,
        venue: ("同济大学 Tongji University, Room 301", "Shanghai", 60),
        backups: &[],
        registrations: 70,
        checked_in: 52,
    },
    Plan {
        part: Part::Today,
        city: "Beijing 北京",
        days: 0,
        venue: ("清华科技园 Tsinghua Science Park, Hall B", "Beijing", 48),
        backups: &[],
        registrations: 64,
        checked_in: 23,
    },
    Plan {
        part: Part::NearTarget,
        city: "Shenzhen 深圳",
        days: 9,
        venue: ("腾讯滨海大厦 Tencent Seafront Tower, 2F", "Shenzhen", 36),
        backups: &[
            ("深圳湾创业广场 Shenzhen Bay Startup Plaza", "Shenzhen", 40),
            ("南山软件园 Nanshan Software Park, Room 5", "Shenzhen", 30),
        ],
        registrations: 46,
        checked_in: 0,
    },
    Plan {
        part: Part::Waitlisted,
        city: "Hangzhou 杭州",
        days: 16,
        venue: ("浙江大学 Zhejiang University, Yuquan Hall", "Hangzhou", 24),
        backups: &[
            ("阿里云谷 Alibaba Cloud Valley, Room A", "Hangzhou", 60),
            ("梦想小镇 Dream Town, Loft 3", "Hangzhou", 45),
        ],
        registrations: 40,
        checked_in: 0,
    },
    Plan {
        part: Part::Later,
        city: "Chengdu 成都",
        days: 33,
        venue: ("天府软件园 Tianfu Software Park, C3", "Chengdu", 50),
        backups: &[("电子科技大学 UESTC, Main Building", "Chengdu", 80)],
        registrations: 6,
        checked_in: 0,
    },
];

/// Given names and family names, in Chinese and in pinyin, and a few English names: people
/// are named by their number, the same on every run.
const FAMILY: &[(&str, &str)] = &[
    ("王", "Wang"),
    ("李", "Li"),
    ("张", "Zhang"),
    ("刘", "Liu"),
    ("陈", "Chen"),
    ("杨", "Yang"),
    ("赵", "Zhao"),
    ("黄", "Huang"),
    ("周", "Zhou"),
    ("吴", "Wu"),
    ("徐", "Xu"),
];
const GIVEN: &[(&str, &str)] = &[
    ("芳", "Fang"),
    ("伟", "Wei"),
    ("娜", "Na"),
    ("磊", "Lei"),
    ("静", "Jing"),
    ("洋", "Yang"),
    ("敏", "Min"),
    ("强", "Qiang"),
    ("婷", "Ting"),
    ("杰", "Jie"),
    ("丽", "Li"),
    ("涛", "Tao"),
    ("雪", "Xue"),
];
const ENGLISH: &[(&str, &str)] = &[
    ("Alice", "Martin"),
    ("Ben", "Okafor"),
    ("Clara", "Schmidt"),
    ("David", "Kim"),
    ("Emma", "Rossi"),
    ("Farid", "Haddad"),
    ("Grace", "Nguyen"),
];
const AFFILIATIONS: &[&str] = &[
    "华为 Huawei",
    "阿里云 Alibaba Cloud",
    "腾讯 Tencent",
    "清华大学 Tsinghua University",
    "浙江大学 Zhejiang University",
    "Red Hat",
    "SUSE",
    "Intel",
    "",
];

/// Person `n`: a name, an address on example.org or example.com, an affiliation and a
/// language (one in five registers in English, with an English name).
fn person(n: usize) -> (String, String, String, Lang) {
    let affiliation = AFFILIATIONS[n % AFFILIATIONS.len()].to_owned();
    if n % 5 == 4 {
        let (first, last) = ENGLISH[(n / 5) % ENGLISH.len()];
        let email = format!(
            "{}.{}.{n}@example.com",
            first.to_lowercase(),
            last.to_lowercase()
        );
        (format!("{first} {last}"), email, affiliation, Lang::En)
    } else {
        let (fz, fp) = FAMILY[n % FAMILY.len()];
        let (gz, gp) = GIVEN[(n / FAMILY.len() + n) % GIVEN.len()];
        let email = format!(
            "{}.{}.{n}@example.org",
            fp.to_lowercase(),
            gp.to_lowercase()
        );
        (
            format!("{fz}{gz} {fp} {gp}"),
            email,
            affiliation,
            Lang::ZhCn,
        )
    }
}

struct DemoSpeaker {
    key: &'static str,
    name: &'static str,
    affiliation: &'static str,
    bio: &'static str,
}

const SPEAKERS: &[DemoSpeaker] = &[
    DemoSpeaker {
        key: "zhong-jun",
        name: "钟君 Jun Zhong",
        affiliation: "openEuler 社区 openEuler community",
        bio: "Runs the data-driven operations of several open source communities. 负责多个开源社区的数字化运营。",
    },
    DemoSpeaker {
        key: "jiang-yikun",
        name: "姜逸坤 Yikun Jiang",
        affiliation: "华为 Huawei",
        bio: "Works on multi-architecture support in big data projects. 致力于大数据项目的多架构支持。",
    },
    DemoSpeaker {
        key: "dasha-gurova",
        name: "Dasha Gurova",
        affiliation: "Scality",
        bio: "Technical community manager; writes about first weeks in open source communities.",
    },
    DemoSpeaker {
        key: "peng-lei",
        name: "彭磊 Lei Peng",
        affiliation: "华为 Huawei",
        bio: "Works on MySQL and distributed databases. 从事 MySQL 与分布式数据库内核开发。",
    },
];

/// Talks on the agendas: (title, abstract, minutes, speaker keys).
const TALKS: &[(&str, &str, i64, &[&str])] = &[
    (
        "数据驱动的社区运营 Data-driven community operations",
        "How openEuler, openGauss and MindSpore measure the health and activity of their communities, and what they changed because of it.",
        40,
        &["zhong-jun", "jiang-yikun"],
    ),
    (
        "Hitting the ground running in a new community",
        "What a community manager does in the first week: listen, map the people, find the first useful thing.",
        30,
        &["dasha-gurova"],
    ),
    (
        "MySQL 组复制实战 MySQL Group Replication in practice",
        "Running group replication in production: what breaks, how to see it coming.",
        30,
        &["peng-lei"],
    ),
];

/// Proposals sent to the call for proposals: (speaker name, e-mail, affiliation, title, stop part).
const PROPOSALS: &[(&str, &str, &str, &str, Part)] = &[
    (
        "孙丽 Sun Li",
        "sun.li@speakers.example.org",
        "浙江大学 Zhejiang University",
        "在校园里开源 Open source on campus",
        Part::Waitlisted,
    ),
    (
        "Grace Nguyen",
        "grace.nguyen@speakers.example.com",
        "SUSE",
        "Packaging for two distributions at once",
        Part::Later,
    ),
    (
        "马超 Ma Chao",
        "ma.chao@speakers.example.org",
        "腾讯 Tencent",
        "Kubernetes 上的有状态服务 Stateful services on Kubernetes",
        Part::NearTarget,
    ),
];

/// A local wall-clock time on the day `days` from today in Shanghai, in UTC.
fn local_day(now: NaiveDateTime, days: i64, hm: &str) -> Result<NaiveDateTime, AppError> {
    let tz = timezone(ZONE).map_err(|_| bad("timezone"))?;
    let today = now.and_utc().with_timezone(&tz).date_naive();
    let day = today + Duration::days(days);
    local_to_utc(&format!("{day}T{hm}"), tz).map_err(|_| bad("a stop's time"))
}

/// The stop's times: in progress for "today" (started two hours ago, ends in three), else
/// an afternoon of its day.
fn times(now: NaiveDateTime, plan: &Plan) -> Result<(NaiveDateTime, NaiveDateTime), AppError> {
    if plan.part == Part::Today {
        let start = (now - Duration::hours(2))
            .with_minute(0)
            .and_then(|t| t.with_second(0))
            .and_then(|t| t.with_nanosecond(0))
            .ok_or_else(|| bad("today's start"))?;
        return Ok((start, start + Duration::hours(5)));
    }
    Ok((
        local_day(now, plan.days, "13:30")?,
        local_day(now, plan.days, "17:30")?,
    ))
}

/// Loads the current tour for `organizer`, once: a second call finds it by its address and
/// adds nothing.
pub async fn load_current(ctx: &Context, organizer: &Organizer) -> Result<Current, AppError> {
    let known = ctx
        .db
        .run(|conn| Ok(Tour::find_public_by_slug(conn, SLUG)?))
        .await?;
    if let Some(tour) = known {
        return Ok(Current {
            tour,
            created: false,
            stops: Vec::new(),
        });
    }
    let started = db::now();
    let now = crate::clock::now();
    let year = now.and_utc().format("%Y").to_string();
    let created = tours::create_tour(
        ctx,
        organizer,
        TourInput {
            name: Some(format!("开源中国行 {year} Open Source China Tour {year}")),
            slug: Some(SLUG.into()),
            description: Some(format!(
                "Five cities, one afternoon each: talks from the communities, then time to meet.\n\n\
                 五座城市，每站一个下午：社区的分享，然后是交流时间。\n\n\
                 The 2012 tour is [here](/tours/{}) (2012 年的巡回见此)。",
                "openstack-china-tour-2012"
            )),
            contact_email: Some(Some("team@example.org".into())),
            prior_show_rate: Some(Ok(0.6)),
            cfp_opens_at: Some(Some(now - Duration::days(30))),
            cfp_closes_at: Some(Some(now + Duration::days(20))),
            ..TourInput::default()
        },
    )
    .await?;
    let tour_id = TourId::from(created.id.clone());
    let tour = created;
    // Speakers who agreed to speak this year, and their talks (accepted, so agendas show them).
    let talks: Vec<Talk> = ctx
        .db
        .run(|conn| {
            let now = db::now();
            let mut ids = std::collections::HashMap::new();
            for s in SPEAKERS {
                let email = format!("{}@speakers.example.org", s.key);
                let speaker = match Speaker::find_by_email(conn, &email)? {
                    Some(known) => known,
                    None => Speaker::insert(
                        conn,
                        s.name,
                        &email,
                        s.affiliation,
                        s.bio,
                        Lang::En,
                        now,
                        true,
                    )?,
                };
                ids.insert(s.key, speaker.id);
            }
            let mut talks = Vec::new();
            for (title, summary, minutes, who) in TALKS {
                let who: Vec<String> = who.iter().map(|k| ids[k].clone()).collect();
                talks.push(Talk::insert(
                    conn,
                    title,
                    summary,
                    *minutes as i32,
                    &who,
                    Some(now),
                )?);
            }
            Ok(talks)
        })
        .await?;
    let mut stops = Vec::new();
    for (n, plan) in PLANS.iter().enumerate() {
        let (name, city, capacity) = plan.venue;
        let venue = venue(ctx, organizer, name, city, capacity).await?;
        let mut backups = Vec::new();
        for (name, city, capacity) in plan.backups {
            backups.push(venue_id(
                &venue_of(ctx, organizer, name, city, *capacity).await?,
            )?);
        }
        let (starts_at, ends_at) = times(now, plan)?;
        let stop = stops::create_stop(
            ctx,
            organizer,
            &tour_id,
            StopInput {
                city: Some(plan.city.into()),
                starts_at: Some(Ok(starts_at)),
                ends_at: Some(Ok(ends_at)),
                timezone: Some(ZONE.into()),
                venue_id: Some(venue.id.clone()),
                status: Some("open".into()),
                ..StopInput::default()
            },
        )
        .await?;
        let stop_id = StopId::from(stop.stop.id.clone());
        // Backups in the order they were added, then the last one moved to the top: ranked.
        for b in &backups {
            stops::add_backup(ctx, organizer, &stop_id, b.to_string()).await?;
        }
        if let Some(last) = backups.last()
            && backups.len() > 1
        {
            stops::move_backup(ctx, organizer, &stop_id, last, -1).await?;
        }
        stops.push((plan, stop_id, n));
    }
    tours::update_tour(
        ctx,
        organizer,
        &tour_id,
        TourInput {
            status: Some("published".into()),
            ..TourInput::default()
        },
    )
    .await?;
    for (plan, stop_id, n) in &stops {
        // The agenda: the talks from the stop's start, 10 minutes apart, then published.
        if plan.part != Part::Later {
            let (mut at, _) = times(now, plan)?;
            for (k, talk) in talks.iter().enumerate() {
                if plan.part == Part::Waitlisted && k == 2 {
                    continue;
                }
                agenda::add_item(
                    ctx,
                    organizer,
                    stop_id,
                    ItemInput {
                        talk_id: Some(talk.id.clone()),
                        kind: Some("talk".into()),
                        starts_at: Some(Ok(at)),
                        duration_minutes: Some(i64::from(talk.duration_minutes)),
                        ..ItemInput::default()
                    },
                )
                .await?;
                at += Duration::minutes(i64::from(talk.duration_minutes) + 10);
            }
            agenda::publish(ctx, organizer, stop_id).await?;
        }
        // The volunteer tasks, half of them claimed.
        if plan.part != Part::Later {
            let lang = if n % 2 == 0 { Lang::ZhCn } else { Lang::En };
            let set = volunteering::apply_standard_set(ctx, organizer, lang, stop_id).await?;
            claim_half(ctx, &set, *n).await?;
        }
        // The people who registered (in the order they came).
        for i in 0..plan.registrations {
            let (name, email, affiliation, lang) = person(n * 100 + i);
            registrations::register(
                ctx,
                lang,
                stop_id,
                RegistrationInput {
                    name,
                    email,
                    affiliation,
                    volunteer: i % 17 == 3,
                    ..RegistrationInput::default()
                },
            )
            .await?;
        }
        // Those who came, at the desk.
        if plan.checked_in > 0 {
            let codes = confirmed_codes(ctx, stop_id, plan.checked_in).await?;
            for code in codes {
                desk::check_in(ctx, organizer, stop_id, Scan::Code(code)).await??;
            }
        }
        // The stop of last week is over: marked done (its material requests open), half of
        // them handed in, and the day it happened put back where it was. Before the stops
        // to come take registrations: its show rate is what their targets expect.
        if plan.part == Part::Done {
            stops::update_stop(
                ctx,
                organizer,
                stop_id,
                StopInput {
                    status: Some("done".into()),
                    ..StopInput::default()
                },
            )
            .await?;
            collect_half(ctx, organizer, stop_id).await?;
            let (starts_at, ends_at) = times(now, plan)?;
            let (id, tid) = (stop_id.to_string(), tour.id.clone());
            ctx.db
                .run(move |conn| back_date(conn, &tid, &id, starts_at, ends_at))
                .await?;
        }
    }
    // The call for proposals: three sent, two confirmed by their link, one accepted.
    proposals(ctx, organizer, &tour, &stops).await?;
    // The made-up people get no e-mail: what the use cases queued for them is dropped.
    ctx.db
        .run(move |conn| drop_demo_mail(conn, started))
        .await?;
    let tour = ctx
        .db
        .run(move |conn| Tour::find(conn, &tour.id)?.ok_or_else(|| bad("tour")))
        .await?;
    Ok(Current {
        tour,
        created: true,
        stops: stops
            .into_iter()
            .map(|(p, id, _)| (p.part, id.to_string()))
            .collect(),
    })
}

fn venue_id(v: &crate::models::venue::Venue) -> Result<VenueId, AppError> {
    Ok(VenueId::from(v.id.clone()))
}

async fn venue(
    ctx: &Context,
    organizer: &Organizer,
    name: &str,
    city: &str,
    capacity: i64,
) -> Result<crate::models::venue::Venue, AppError> {
    venue_of(ctx, organizer, name, city, capacity).await
}

async fn venue_of(
    ctx: &Context,
    organizer: &Organizer,
    name: &str,
    city: &str,
    capacity: i64,
) -> Result<crate::models::venue::Venue, AppError> {
    venues::create_venue(
        ctx,
        organizer,
        VenueInput {
            name: Some(name.into()),
            city: Some(city.into()),
            address: Some(format!("{name}, {city}")),
            directions: Some(
                "Take the lift to the floor shown; volunteers wait at the door. 乘电梯到所示楼层，志愿者在门口等候。".into(),
            ),
            capacity: Some(Ok(capacity)),
            kind: Some(if name.contains("University") || name.contains("UESTC") {
                "university".into()
            } else {
                "company_office".into()
            }),
            cost: Some("free".into()),
            ..VenueInput::default()
        },
    )
    .await
}

/// Volunteers claim a slot of every other task (the first one of each pair).
async fn claim_half(ctx: &Context, set: &[Task], n: usize) -> Result<(), AppError> {
    for (k, task) in set.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let (name, email, _, lang) = person(900 + n * 10 + k);
        let id = TaskId::from(task.id.clone());
        volunteering::claim(ctx, lang, &id, name, email, None).await?;
    }
    Ok(())
}

/// The codes of the first `n` confirmed people of a stop, in the order they registered.
async fn confirmed_codes(ctx: &Context, stop: &StopId, n: usize) -> Result<Vec<String>, AppError> {
    let stop = stop.to_string();
    ctx.db
        .run(move |conn| {
            Ok(rows::table
                .filter(rows::stop_id.eq(&stop))
                .filter(rows::status.eq("confirmed"))
                .order(rows::created_at.asc())
                .select(rows::code)
                .limit(n as i64)
                .load::<String>(conn)?)
        })
        .await
}

async fn proposals(
    ctx: &Context,
    organizer: &Organizer,
    tour: &Tour,
    stops: &[(&Plan, StopId, usize)],
) -> Result<(), AppError> {
    let tour_id = TourId::from(tour.id.clone());
    for (k, (name, email, affiliation, title, part)) in PROPOSALS.iter().enumerate() {
        let Some((_, stop_id, _)) = stops.iter().find(|(p, _, _)| p.part == *part) else {
            continue;
        };
        let proposal = speakers::submit_proposal(
            ctx,
            if email.ends_with(".com") {
                Lang::En
            } else {
                Lang::ZhCn
            },
            &tour_id,
            ProposalInput {
                speaker: PersonInput {
                    name: (*name).into(),
                    email: (*email).into(),
                    affiliation: (*affiliation).into(),
                    bio: format!("{name}, {affiliation}."),
                },
                title: (*title).into(),
                summary: "What we learned, with the numbers. 我们的经验与数据。".into(),
                duration_minutes: Some(30),
                stop_ids: vec![stop_id.to_string()],
                ..ProposalInput::default()
            },
        )
        .await?;
        if k == 2 {
            // Sent but not confirmed yet: organizers do not see it.
            continue;
        }
        // The submitter follows the link of their e-mail.
        let to = (*email).to_owned();
        let token = ctx
            .db
            .run(move |conn| {
                let body: String = outbox::table
                    .filter(outbox::to_email.eq(&to))
                    .order(outbox::created_at.desc())
                    .select(outbox::body_text)
                    .first(conn)?;
                let at = body
                    .find("/speaker/proposals/confirm/")
                    .ok_or_else(|| bad("the proposal's confirmation link"))?;
                let rest = &body[at + "/speaker/proposals/confirm/".len()..];
                Ok(rest
                    .chars()
                    .take_while(|c| c.is_ascii_alphanumeric() || *c == '-' || *c == '_')
                    .collect::<String>())
            })
            .await?;
        speakers::confirm_proposal(ctx, &token).await?;
        if k == 0 {
            let id = ProposalId::from(proposal.id.clone());
            speakers::accept(
                ctx,
                organizer,
                &id,
                vec![stop_id.to_string()],
                String::new(),
            )
            .await?;
        }
    }
    Ok(())
}

/// Half the materials of the done stop handed in (the first of each pair), by the organizer.
async fn collect_half(ctx: &Context, organizer: &Organizer, stop: &StopId) -> Result<(), AppError> {
    let id = stop.to_string();
    let list = ctx
        .db
        .run(move |conn| Ok(Material::for_stop(conn, &id)?))
        .await?;
    let who = Handler::Organizer(organizer.clone());
    for (k, m) in list.iter().enumerate().filter(|(k, _)| k % 2 == 0) {
        let content = match m.kind {
            crate::models::material::MaterialKind::Report => collection::report_content(
                "About 50 people came on a rainy afternoon; the questions ran long. 雨天的下午来了约 50 人，提问环节很热烈。",
                organizer.email.clone(),
            )?,
            _ => crate::services::materials::link_content(
                &format!("https://example.org/shanghai/{k}"),
                organizer.email.clone(),
            )?,
        };
        let mid = MaterialId::from(m.id.clone());
        collection::hand_in(ctx, &mid, &who, content).await?;
    }
    Ok(())
}

/// The done stop happened last week: its check-ins at its start and its material requests
/// from its end, as they would have been had the demo run then (so the requests still open
/// are overdue).
fn back_date(
    conn: &mut DbConnection,
    tour_id: &str,
    stop_id: &str,
    starts_at: NaiveDateTime,
    ends_at: NaiveDateTime,
) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        diesel::update(
            rows::table
                .filter(rows::stop_id.eq(stop_id))
                .filter(rows::checked_in_at.is_not_null()),
        )
        .set(rows::checked_in_at.eq(Some(starts_at + Duration::minutes(20))))
        .execute(conn)?;
        diesel::update(materials::table.filter(materials::stop_id.eq(stop_id)))
            .set(materials::created_at.eq(ends_at))
            .execute(conn)?;
        crate::cache::record(
            conn,
            crate::cache::Change::Stop {
                id: stop_id,
                tour_id,
            },
        )?;
        Ok::<_, AppError>(())
    })
}

/// Drops the messages queued since `since` for the demo's made-up addresses (example.org
/// and example.com are reserved: no real person reads them).
fn drop_demo_mail(conn: &mut DbConnection, since: NaiveDateTime) -> Result<(), AppError> {
    db::write_transaction(conn, |conn| {
        diesel::delete(
            outbox::table
                .filter(outbox::created_at.ge(since))
                .filter(outbox::status.eq("queued"))
                .filter(
                    outbox::to_email
                        .like("%example.org")
                        .or(outbox::to_email.like("%example.com")),
                ),
        )
        .execute(conn)?;
        Ok::<_, AppError>(())
    })
}
