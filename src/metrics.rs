//! Prometheus metrics at `/metrics`: HTTP counts and latencies per route pattern (ids never
//! become labels), page-cache hits, and, read from the database at scrape time so every
//! instance reports the same figures, registrations, check-ins and the outbox.

use std::time::Duration;

use actix_web::http::{Method, StatusCode};
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::encoding::text::encode;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

use crate::models::counters::Counters;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: String,
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: String,
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct StatusLabels {
    status: &'static str,
}

type HistogramFamily = Family<RouteLabels, Histogram, fn() -> Histogram>;

pub struct Metrics {
    registry: Registry,
    requests: Family<RequestLabels, Counter>,
    latency: HistogramFamily,
    cache_hits: Counter,
    cache_misses: Counter,
    registrations: Family<StatusLabels, Gauge>,
    check_ins: Gauge,
    outbox: Family<StatusLabels, Gauge>,
}

fn latency_histogram() -> Histogram {
    // 0.1 ms … 2.6 s: cached pages answer in well under a millisecond.
    Histogram::new([
        0.0001, 0.00025, 0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5,
    ])
}

impl Default for Metrics {
    fn default() -> Self {
        let mut registry = Registry::with_prefix("roadshow");
        let requests = Family::<RequestLabels, Counter>::default();
        let latency: HistogramFamily = Family::new_with_constructor(latency_histogram);
        let cache_hits = Counter::default();
        let cache_misses = Counter::default();
        let registrations = Family::<StatusLabels, Gauge>::default();
        let check_ins = Gauge::default();
        let outbox = Family::<StatusLabels, Gauge>::default();
        registry.register(
            "http_requests",
            "HTTP requests answered, by route pattern and status",
            requests.clone(),
        );
        registry.register(
            "http_request_duration_seconds",
            "Time to answer HTTP requests, by route pattern",
            latency.clone(),
        );
        registry.register(
            "page_cache_hits",
            "Public pages served from the page cache",
            cache_hits.clone(),
        );
        registry.register(
            "page_cache_misses",
            "Public pages rendered because the cache had no current copy",
            cache_misses.clone(),
        );
        registry.register(
            "registrations",
            "Registrations of all stops, by status",
            registrations.clone(),
        );
        registry.register(
            "check_ins",
            "People checked in at all stops",
            check_ins.clone(),
        );
        registry.register(
            "outbox_messages",
            "E-mails in the outbox, by status (queued includes those being sent)",
            outbox.clone(),
        );
        Metrics {
            registry,
            requests,
            latency,
            cache_hits,
            cache_misses,
            registrations,
            check_ins,
            outbox,
        }
    }
}

impl Metrics {
    /// Counts one answered request. `route` is the pattern it matched (`/stops/{id}`).
    pub fn observe(
        &self,
        method: &Method,
        route: Option<String>,
        status: StatusCode,
        took: Duration,
    ) {
        let route = route.unwrap_or_else(|| "unmatched".into());
        let method = method.as_str().to_owned();
        self.latency
            .get_or_create(&RouteLabels {
                method: method.clone(),
                route: route.clone(),
            })
            .observe(took.as_secs_f64());
        self.requests
            .get_or_create(&RequestLabels {
                method,
                route,
                status: status.as_u16(),
            })
            .inc();
    }

    /// The figures at a scrape: the page cache's own counts (`hits`, `misses`), which the
    /// counters catch up to, and what was read from the database.
    pub fn render(
        &self,
        (hits, misses): (u64, u64),
        counters: Counters,
        outbox: (i64, i64, i64),
    ) -> String {
        self.cache_hits
            .inc_by(hits.saturating_sub(self.cache_hits.get()));
        self.cache_misses
            .inc_by(misses.saturating_sub(self.cache_misses.get()));
        for (status, n) in [
            ("confirmed", counters.confirmed),
            ("waitlisted", counters.waitlisted),
            ("cancelled", counters.cancelled),
        ] {
            self.registrations
                .get_or_create(&StatusLabels { status })
                .set(i64::from(n));
        }
        self.check_ins.set(i64::from(counters.checked_in));
        for (status, n) in [
            ("queued", outbox.0),
            ("sent", outbox.1),
            ("failed", outbox.2),
        ] {
            self.outbox.get_or_create(&StatusLabels { status }).set(n);
        }
        let mut text = String::new();
        // Writing to a String cannot fail.
        let _ = encode(&mut text, &self.registry);
        text
    }
}
