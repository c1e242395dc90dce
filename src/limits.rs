//! What one client may hold of the server: connections, time to send a body, room for the
//! uploads being received; and whether the disk still takes writes.
//!
//! - `ConnectionLimit`: open connections per client address (an IPv6 client's /64); one
//!   beyond the cap is closed as soon as it is accepted, before a byte is read. Trusted
//!   proxies are not counted: behind one, every client shares its address.
//! - `BodyGuard` (a middleware): every request body must keep coming (an idle timeout per
//!   piece) and be complete by a deadline sized to its length at a slow but honest rate;
//!   otherwise 408 and the connection is closed. A multipart body first takes its size from
//!   the upload slots, when it is first read (after the caller is known); none left: 503 with
//!   Retry-After. A body left unread closes the connection after the answer, so nobody can
//!   keep one open by trickling the rest. Query strings with a NUL are refused here too.
//! - `DiskWatch`: `/readyz` says not ready when the data folder's disk is nearly full or a
//!   write just failed for lack of space.

use std::any::Any;
use std::cell::{Cell, RefCell};
use std::collections::HashMap;
use std::net::IpAddr;
use std::pin::Pin;
use std::rc::Rc;

use std::sync::{Arc, Mutex};
use std::task::{Context, Poll};
use std::time::Duration;

use actix_web::HttpMessage;
use actix_web::body::{BoxBody, EitherBody, MessageBody};
use actix_web::dev::{Extensions, Payload, ServiceRequest, ServiceResponse};
use actix_web::error::PayloadError;
use actix_web::http::header;
use actix_web::rt::time::{Instant, Sleep, sleep_until};
use actix_web::web::Bytes;
use futures_util::Stream;
use tokio::sync::{OwnedSemaphorePermit, Semaphore};

use crate::config::Settings;
use crate::disk::DiskWatch;
use crate::error::{AppError, ErrorCode};
use crate::ratelimit::RateLimits;

// ----- connections -----

/// Open connections per client address.
pub struct ConnectionLimit {
    max: usize,
    limits: Arc<RateLimits>,
    open: Mutex<HashMap<IpAddr, usize>>,
}

/// Held in a connection's extensions: gives its place back when the connection ends.
struct ConnectionSlot {
    limit: Arc<ConnectionLimit>,
    key: IpAddr,
}

impl Drop for ConnectionSlot {
    fn drop(&mut self) {
        self.limit.release(self.key);
    }
}

impl ConnectionLimit {
    pub fn new(max: usize, limits: Arc<RateLimits>) -> Arc<ConnectionLimit> {
        Arc::new(ConnectionLimit {
            max,
            limits,
            open: Mutex::new(HashMap::new()),
        })
    }

    /// For `HttpServer::on_connect`: counts the connection, or closes it when its client
    /// already holds `max`.
    pub fn on_connect(self: &Arc<Self>, io: &dyn Any, ext: &mut Extensions) {
        if self.max == 0 {
            return;
        }
        let Some(stream) = io.downcast_ref::<actix_web::rt::net::TcpStream>() else {
            return;
        };
        let Ok(peer) = stream.peer_addr() else {
            return;
        };
        let Some(key) = self.limits.connection_key(peer.ip()) else {
            return;
        };
        if self.take(key) {
            ext.insert(ConnectionSlot {
                limit: self.clone(),
                key,
            });
        } else {
            tracing::debug!(client = %key, "too many connections from one client: closed");
            refuse(stream);
        }
    }

    fn take(&self, key: IpAddr) -> bool {
        let Ok(mut open) = self.open.lock() else {
            return true;
        };
        let n = open.entry(key).or_insert(0);
        if *n >= self.max {
            return false;
        }
        *n += 1;
        true
    }

    fn release(&self, key: IpAddr) {
        if let Ok(mut open) = self.open.lock()
            && let Some(n) = open.get_mut(&key)
        {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&key);
            }
        }
    }

    /// How many connections a client holds now (for tests and metrics).
    pub fn open_for(&self, ip: IpAddr) -> usize {
        let key = self.limits.connection_key(ip);
        self.open
            .lock()
            .ok()
            .and_then(|open| key.and_then(|k| open.get(&k).copied()))
            .unwrap_or(0)
    }
}

/// Ends a connection at once: the server then reads end-of-file and drops it, so it holds a
/// file descriptor for no longer than that.
fn refuse(stream: &actix_web::rt::net::TcpStream) {
    #[cfg(unix)]
    {
        use std::os::fd::AsRawFd;
        // SAFETY: shutdown(2) on a socket this stream owns and keeps open; it closes nothing.
        unsafe {
            libc::shutdown(stream.as_raw_fd(), libc::SHUT_RDWR);
        }
    }
    #[cfg(not(unix))]
    let _ = stream;
}

/// Raises the soft limit on open files to the hard one: every connection is a descriptor,
/// and the default soft limit (often 1024) is far below what the server can serve.
pub fn raise_open_file_limit() {
    #[cfg(unix)]
    {
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: getrlimit/setrlimit only read and write the struct passed.
        unsafe {
            if libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit) != 0 {
                return;
            }
            if limit.rlim_cur < limit.rlim_max {
                let before = limit.rlim_cur;
                limit.rlim_cur = limit.rlim_max;
                if libc::setrlimit(libc::RLIMIT_NOFILE, &limit) == 0 {
                    tracing::debug!(from = before, to = limit.rlim_cur, "open file limit raised");
                }
            }
        }
    }
}

// ----- upload slots -----

/// Room for the uploads being received at once, counted in MiB of their declared size.
pub struct UploadSlots {
    semaphore: Arc<Semaphore>,
    total_mib: u32,
}

const MIB: u64 = 1024 * 1024;

/// How long a client should wait when every upload slot is taken.
const UPLOADS_BUSY_RETRY_SECS: u64 = 30;

impl UploadSlots {
    pub fn new(bytes: u64) -> UploadSlots {
        let total_mib = u32::try_from(bytes.div_ceil(MIB).max(1)).unwrap_or(u32::MAX >> 4);
        UploadSlots {
            semaphore: Arc::new(Semaphore::new(total_mib as usize)),
            total_mib,
        }
    }

    fn try_take(&self, bytes: u64) -> Option<OwnedSemaphorePermit> {
        let mib = u32::try_from(bytes.div_ceil(MIB).max(1))
            .unwrap_or(u32::MAX)
            .min(self.total_mib);
        self.semaphore.clone().try_acquire_many_owned(mib).ok()
    }
}

// ----- the body guard -----

/// The settings the middleware applies to every request.
pub struct BodyGuard {
    idle: Duration,
    min_rate: u64,
    max_body: u64,
    max_upload: u64,
    uploads: Arc<UploadSlots>,
    disk: Arc<DiskWatch>,
}

/// What happened to one request's body, shared by its payload stream and the middleware.
/// The body itself lives here, not in the stream given to the handler: an unread body must
/// outlive the handler (see `close_marked`).
#[derive(Default)]
struct BodyState {
    body: RefCell<Option<Payload>>,
    timed_out: Cell<bool>,
    no_slot: Cell<bool>,
    finished: Cell<bool>,
    slot: RefCell<Option<OwnedSemaphorePermit>>,
}

/// A grace period on top of the time the body needs at the slowest rate we wait for.
const BODY_GRACE: Duration = Duration::from_secs(10);

/// An unread body, kept until the answer is on its way: while its reader is alive the
/// server closes the connection after the answer. Dropped, the server would read (drain) a
/// chunked body to its end, for as long as the client cares to trickle it.
struct UnreadBody(#[expect(dead_code, reason = "held, never read")] Rc<BodyState>);

impl BodyGuard {
    pub fn new(settings: &Settings, uploads: Arc<UploadSlots>, disk: Arc<DiskWatch>) -> Self {
        BodyGuard {
            idle: Duration::from_secs(settings.connections.body_idle_timeout_secs.max(1)),
            min_rate: settings.connections.body_min_bytes_per_sec.max(1),
            max_body: settings.connections.max_body_bytes as u64,
            max_upload: settings.storage.max_upload_bytes,
            uploads,
            disk,
        }
    }

    /// Before the request is handled: refuses NUL in the query string, and wraps the body.
    fn prepare(&self, req: &mut ServiceRequest) -> Result<Option<Rc<BodyState>>, AppError> {
        crate::http::refuse_nul_in_query(req.query_string())?;
        let headers = req.headers();
        let declared = headers
            .get(header::CONTENT_LENGTH)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let chunked = headers
            .get(header::TRANSFER_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.to_ascii_lowercase().contains("chunked"));
        if declared.unwrap_or(0) == 0 && !chunked {
            return Ok(None);
        }
        let multipart = headers
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| {
                v.trim_start()
                    .to_ascii_lowercase()
                    .starts_with("multipart/")
            });
        let largest = if multipart {
            self.max_upload.saturating_add(MIB)
        } else {
            self.max_body
        };
        let length = declared.unwrap_or(largest).min(largest.max(1));
        let needs = BODY_GRACE + Duration::from_secs(length / self.min_rate);
        let state = Rc::new(BodyState::default());
        *state.body.borrow_mut() = Some(req.take_payload());
        let stream = GuardedBody {
            state: state.clone(),
            idle: self.idle,
            deadline: Instant::now() + needs,
            timer: Box::pin(sleep_until(Instant::now() + needs.min(self.idle))),
            slot: multipart.then(|| (self.uploads.clone(), length)),
            started: false,
            done: false,
        };
        let boxed: Pin<Box<dyn Stream<Item = Result<Bytes, PayloadError>>>> = Box::pin(stream);
        req.set_payload(Payload::from(boxed));
        Ok(Some(state))
    }

    /// After the handler: a body that stalled answers 408, a full set of upload slots 503;
    /// an unread body closes the connection; a full disk is remembered for `/readyz`.
    fn finish(&self, state: Option<Rc<BodyState>>, res: ServiceResponse) -> ServiceResponse {
        let replacement = state.as_ref().and_then(|s| {
            if s.timed_out.get() {
                Some(AppError::request_timeout(
                    "the request body did not arrive in time",
                ))
            } else if s.no_slot.get() {
                Some(
                    AppError::unavailable(
                        ErrorCode::UploadsBusy,
                        "too many uploads are arriving right now: please try again shortly",
                    )
                    .retry_after(UPLOADS_BUSY_RETRY_SECS),
                )
            } else {
                None
            }
        });
        if res
            .response()
            .error()
            .and_then(|e| e.as_error::<AppError>())
            .is_some_and(AppError::is_disk_full)
        {
            self.disk.record_full();
        }
        let res = match replacement {
            Some(e) => {
                let (req, _) = res.into_parts();
                ServiceResponse::from_err(e, req)
            }
            None => res,
        };
        if let Some(state) = state.filter(|s| !s.finished.get()) {
            // The permit goes now; the body stays until the answer leaves (`close_marked`).
            state.slot.borrow_mut().take();
            res.request().extensions_mut().insert(UnreadBody(state));
        }
        res
    }
}

/// The body guard as a `wrap_fn` body. Put it inside the error pages (so its answers render
/// as pages in browsers); `close_marked` goes outermost.
pub fn guard<S>(
    guard: &Arc<BodyGuard>,
    mut req: ServiceRequest,
    srv: &S,
) -> impl std::future::Future<Output = Result<ServiceResponse, actix_web::Error>> + use<S>
where
    S: actix_web::dev::Service<
            ServiceRequest,
            Response = ServiceResponse,
            Error = actix_web::Error,
        >,
{
    let guard = guard.clone();
    let call = match guard.prepare(&mut req) {
        Ok(state) => Ok((state, srv.call(req))),
        Err(e) => Err(req.error_response(e)),
    };
    async move {
        match call {
            Err(res) => Ok(res),
            Ok((state, fut)) => {
                let res = fut.await?;
                Ok(guard.finish(state, res))
            }
        }
    }
}

/// Closes the connection after an answer whose body `guard` left unread. The server does
/// so while the body's reader is alive when the answer is done, so the unread body rides
/// along with the answer's own body (`HoldingBody`). Put it outermost: error pages are new
/// responses, so the unread body travels on the request until here.
pub fn close_marked<B: MessageBody + 'static>(
    res: ServiceResponse<B>,
) -> ServiceResponse<EitherBody<B, HoldingBody>> {
    let unread = res.request().extensions_mut().remove::<UnreadBody>();
    match unread {
        None => res.map_body(|_, body| EitherBody::left(body)),
        Some(unread) => {
            let mut res = res.map_body(|_, body| {
                EitherBody::right(HoldingBody {
                    inner: BoxBody::new(body),
                    _unread: unread,
                })
            });
            res.response_mut()
                .head_mut()
                .set_connection_type(actix_web::http::ConnectionType::Close);
            res
        }
    }
}

/// An answer's body that keeps the request's unread body until it is dropped itself.
pub struct HoldingBody {
    inner: BoxBody,
    _unread: UnreadBody,
}

impl MessageBody for HoldingBody {
    type Error = Box<dyn std::error::Error>;

    fn size(&self) -> actix_web::body::BodySize {
        self.inner.size()
    }

    fn poll_next(
        mut self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Bytes, Self::Error>>> {
        Pin::new(&mut self.inner).poll_next(cx)
    }
}

struct GuardedBody {
    state: Rc<BodyState>,
    idle: Duration,
    deadline: Instant,
    timer: Pin<Box<Sleep>>,
    /// For a multipart body: the slots to take when it is first read.
    slot: Option<(Arc<UploadSlots>, u64)>,
    started: bool,
    done: bool,
}

impl Stream for GuardedBody {
    type Item = Result<Bytes, PayloadError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = &mut *self;
        if this.done {
            return Poll::Ready(None);
        }
        if !this.started {
            // The idle time counts from when the body is first wanted: a handler that looks
            // the caller up first does not eat into it.
            this.started = true;
            let next = (Instant::now() + this.idle).min(this.deadline);
            this.timer.as_mut().reset(next);
        }
        if let Some((slots, bytes)) = this.slot.take() {
            match slots.try_take(bytes) {
                Some(permit) => *this.state.slot.borrow_mut() = Some(permit),
                None => {
                    this.done = true;
                    this.state.no_slot.set(true);
                    return Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::other(
                        "no upload slot free",
                    )))));
                }
            }
        }
        let mut body = this.state.body.borrow_mut();
        let Some(inner) = body.as_mut() else {
            this.done = true;
            return Poll::Ready(Some(Err(PayloadError::Incomplete(None))));
        };
        match Pin::new(inner).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                let next = (Instant::now() + this.idle).min(this.deadline);
                this.timer.as_mut().reset(next);
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Ready(None) => {
                this.done = true;
                this.state.finished.set(true);
                Poll::Ready(None)
            }
            Poll::Ready(Some(Err(e))) => {
                this.done = true;
                Poll::Ready(Some(Err(e)))
            }
            Poll::Pending => match this.timer.as_mut().poll(cx) {
                Poll::Ready(()) => {
                    this.done = true;
                    this.state.timed_out.set(true);
                    Poll::Ready(Some(Err(PayloadError::Io(std::io::Error::new(
                        std::io::ErrorKind::TimedOut,
                        "the request body stalled",
                    )))))
                }
                Poll::Pending => Poll::Pending,
            },
        }
    }
}
