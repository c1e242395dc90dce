use tracing_subscriber::EnvFilter;

/// Logs to stderr, as text or JSON, filtered by `RUST_LOG` (default: info).
pub fn init(format: &str) {
    let filter = EnvFilter::try_from_default_env().unwrap_or_else(|_| EnvFilter::new("info"));
    let builder = tracing_subscriber::fmt()
        .with_env_filter(filter)
        // Colours for a person at a terminal only, never escape codes in a log file.
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .with_writer(std::io::stderr);
    let result = if format == "json" {
        builder.json().try_init()
    } else {
        builder.try_init()
    };
    // A second init (tests start many apps in one process) keeps the first subscriber.
    drop(result);
}

/// The request's span and its one log line. tracing-actix-web's default span records the
/// full target, query string and all, and logs nothing at `info`; this one names the method
/// and the request id when the request starts, and when it ends logs one `info` line:
/// method, path (tokens redacted, no query values), status and duration.
pub struct RequestSpan;

/// When the request started, kept in its extensions for the duration.
struct Started(std::time::Instant);

/// Path parameters that are secrets: a manage link's token, a sign-in link's, a feed's.
const SECRET_PARAMS: [&str; 1] = ["token"];

/// The path as it may be logged: each secret parameter's segment is `[redacted]`, and the
/// query keeps its keys only (values may be e-mail addresses or tokens).
pub fn loggable_path(path: &str, query: &str, secrets: &[&str]) -> String {
    let mut out: String = path
        .split('/')
        .map(|segment| {
            if secrets.iter().any(|s| !s.is_empty() && segment.contains(s)) {
                "[redacted]"
            } else {
                segment
            }
        })
        .collect::<Vec<_>>()
        .join("/");
    let keys: Vec<String> = url::form_urlencoded::parse(query.as_bytes())
        .map(|(k, _)| k.into_owned())
        .collect();
    if !keys.is_empty() {
        out.push('?');
        out.push_str(
            &keys
                .iter()
                .map(|k| format!("{k}=…"))
                .collect::<Vec<_>>()
                .join("&"),
        );
    }
    out
}

impl tracing_actix_web::RootSpanBuilder for RequestSpan {
    fn on_request_start(request: &actix_web::dev::ServiceRequest) -> tracing::Span {
        use actix_web::HttpMessage;
        request
            .extensions_mut()
            .insert(Started(std::time::Instant::now()));
        let request_id = request
            .extensions()
            .get::<tracing_actix_web::RequestId>()
            .map(|id| id.to_string())
            .unwrap_or_default();
        tracing::info_span!("request", method = %request.method(), request_id = %request_id)
    }

    fn on_request_end<B: actix_web::body::MessageBody>(
        span: tracing::Span,
        outcome: &Result<actix_web::dev::ServiceResponse<B>, actix_web::Error>,
    ) {
        use actix_web::HttpMessage;
        let _entered = span.enter();
        match outcome {
            Ok(res) => {
                let req = res.request();
                let secrets: Vec<&str> = SECRET_PARAMS
                    .iter()
                    .filter_map(|name| req.match_info().get(name))
                    .collect();
                let path = loggable_path(req.path(), req.query_string(), &secrets);
                let ms = req
                    .extensions()
                    .get::<Started>()
                    .map(|s| s.0.elapsed().as_secs_f64() * 1000.0)
                    .unwrap_or_default();
                let status = res.status().as_u16();
                if status >= 500 {
                    tracing::warn!(method = %req.method(), path = %path, status, duration_ms = %format!("{ms:.1}"), "request");
                } else {
                    tracing::info!(method = %req.method(), path = %path, status, duration_ms = %format!("{ms:.1}"), "request");
                }
            }
            Err(e) => {
                let status = e.as_response_error().status_code().as_u16();
                tracing::warn!(status, "request failed before an answer");
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::loggable_path;

    #[test]
    fn tokens_and_query_values_stay_out_of_the_log() {
        assert_eq!(
            loggable_path("/r/s3cr3t/cancel", "", &["s3cr3t"]),
            "/r/[redacted]/cancel"
        );
        assert_eq!(
            loggable_path(
                "/manage/stops/42/registrations",
                "q=ann%40example.org&status=",
                &[]
            ),
            "/manage/stops/42/registrations?q=…&status=…"
        );
        assert_eq!(loggable_path("/r/abc.ics", "", &["abc"]), "/r/[redacted]");
        assert_eq!(loggable_path("/healthz", "", &[""]), "/healthz");
    }
}
