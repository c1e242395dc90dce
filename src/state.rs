use std::ops::Deref;
use std::sync::Arc;

use crate::services::context::Context;

/// What every handler can reach: the use cases' `Context` (through `Deref`: `state.db`,
/// `services::x::y(&state, …)`) and what only HTTP needs, the rate limits.
#[derive(Clone)]
pub struct AppState {
    pub app: Context,
    pub limits: Arc<crate::ratelimit::RateLimits>,
}

impl Deref for AppState {
    type Target = Context;
    fn deref(&self) -> &Context {
        &self.app
    }
}
