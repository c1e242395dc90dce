//! Limits on what one client address may do per minute: register, claim a task, sign in,
//! ask for a sign-in link. Over the limit: 429 with Retry-After. The address is the peer's,
//! or the one a trusted proxy puts in X-Forwarded-For (never trusted from anyone else).
//! `rate_limits = "off"` (ROADSHOW_RATE_LIMITS=off) switches them off, for load tests.

use std::net::IpAddr;
use std::num::NonZeroU32;

use actix_web::HttpRequest;
use governor::clock::{Clock, DefaultClock};
use governor::{DefaultKeyedRateLimiter, Quota};
use ipnet::IpNet;

use crate::config::Settings;
use crate::error::{AppError, StartupError};

/// What is limited.
#[derive(Clone, Copy, Debug)]
pub enum Action {
    Register,
    Claim,
    SignIn,
    SignInLink,
    /// A talk proposed through the public call for proposals.
    Proposal,
}

pub struct RateLimits {
    enabled: bool,
    trusted_proxies: Vec<IpNet>,
    register: DefaultKeyedRateLimiter<IpAddr>,
    claim: DefaultKeyedRateLimiter<IpAddr>,
    sign_in: DefaultKeyedRateLimiter<IpAddr>,
    sign_in_link: DefaultKeyedRateLimiter<IpAddr>,
    proposal: DefaultKeyedRateLimiter<IpAddr>,
}

fn per_minute(n: u32) -> Quota {
    Quota::per_minute(NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN))
}

impl RateLimits {
    pub fn from_settings(settings: &Settings) -> Result<RateLimits, StartupError> {
        let enabled = match settings
            .abuse
            .rate_limits
            .trim()
            .to_ascii_lowercase()
            .as_str()
        {
            "on" | "true" | "yes" | "" => true,
            "off" | "false" | "no" => false,
            other => {
                return Err(StartupError::bad_setting(
                    "rate_limits",
                    format!("is \"on\" or \"off\", not {other:?}"),
                ));
            }
        };
        let trusted_proxies = settings
            .abuse
            .trusted_proxies
            .split(',')
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(|s| {
                s.parse::<IpNet>()
                    .or_else(|_| s.parse::<IpAddr>().map(IpNet::from))
                    .map_err(|_| {
                        StartupError::bad_setting(
                            "trusted_proxies",
                            format!("holds {s:?}, which is not an address or a network"),
                        )
                    })
            })
            .collect::<Result<_, _>>()?;
        Ok(RateLimits {
            enabled,
            trusted_proxies,
            register: DefaultKeyedRateLimiter::keyed(per_minute(
                settings.abuse.rate_limit_registrations,
            )),
            claim: DefaultKeyedRateLimiter::keyed(per_minute(settings.abuse.rate_limit_claims)),
            sign_in: DefaultKeyedRateLimiter::keyed(per_minute(settings.abuse.rate_limit_sign_ins)),
            sign_in_link: DefaultKeyedRateLimiter::keyed(per_minute(
                settings.abuse.rate_limit_sign_in_links,
            )),
            proposal: DefaultKeyedRateLimiter::keyed(per_minute(
                settings.abuse.rate_limit_proposals,
            )),
        })
    }

    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|net| net.contains(&ip))
    }

    /// The client's address: the peer, unless the peer is a trusted proxy; then the last
    /// address in X-Forwarded-For that is not a trusted proxy (the ones before it could be
    /// made up by the client).
    pub fn client_ip(&self, req: &HttpRequest) -> Option<IpAddr> {
        let peer = req.peer_addr()?.ip();
        if !self.trusted(peer) {
            return Some(peer);
        }
        let forwarded: Vec<IpAddr> = req
            .headers()
            .get_all("x-forwarded-for")
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .filter_map(|s| s.trim().parse().ok())
            .collect();
        Some(
            forwarded
                .into_iter()
                .rev()
                .find(|ip| !self.trusted(*ip))
                .unwrap_or(peer),
        )
    }

    /// The client as a stable text key (its address, an IPv6 client's /64), for limits kept
    /// in the database; None when the address is unknown.
    pub fn client_key(&self, req: &HttpRequest) -> Option<String> {
        self.client_ip(req).map(|ip| limit_key(ip).to_string())
    }

    /// What open connections from `peer` count against (see `limits::ConnectionLimit`):
    /// its address, an IPv6 client's /64; None for a trusted proxy, which speaks for many.
    pub fn connection_key(&self, peer: IpAddr) -> Option<IpAddr> {
        (!self.trusted(peer)).then(|| limit_key(peer))
    }

    /// Counts one `action` for the client; 429 with Retry-After when over its limit.
    pub fn check(&self, req: &HttpRequest, action: Action) -> Result<(), AppError> {
        if !self.enabled {
            return Ok(());
        }
        let Some(ip) = self.client_ip(req) else {
            return Ok(());
        };
        let limiter = match action {
            Action::Register => &self.register,
            Action::Claim => &self.claim,
            Action::SignIn => &self.sign_in,
            Action::SignInLink => &self.sign_in_link,
            Action::Proposal => &self.proposal,
        };
        limiter.check_key(&limit_key(ip)).map_err(|not_until| {
            let wait = not_until.wait_time_from(DefaultClock::default().now());
            AppError::too_many_requests("too many requests from your address: try again later")
                .retry_after(wait.as_secs() + 1)
        })
    }

    /// Forgets addresses that have been quiet for a while (bounds the memory held).
    pub fn forget_quiet(&self) {
        for limiter in [
            &self.register,
            &self.claim,
            &self.sign_in,
            &self.sign_in_link,
            &self.proposal,
        ] {
            limiter.retain_recent();
            limiter.shrink_to_fit();
        }
    }
}

/// What a limit counts by: an IPv4 address, or the /64 network of an IPv6 one (anyone with
/// one IPv6 address usually holds its whole /64, which would otherwise mean no limit).
/// An IPv4 client seen on an IPv6 socket (`::ffff:a.b.c.d`) counts as its IPv4 address,
/// not as one /64 shared by every IPv4 client.
fn limit_key(ip: IpAddr) -> IpAddr {
    match ip.to_canonical() {
        v4 @ IpAddr::V4(_) => v4,
        IpAddr::V6(v6) => {
            let s = v6.segments();
            IpAddr::V6(std::net::Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::config::AbuseSettings;
    use actix_web::test::TestRequest;

    fn limits(trusted: &str) -> RateLimits {
        let settings = Settings {
            abuse: AbuseSettings {
                trusted_proxies: trusted.into(),
                rate_limit_registrations: 2,
                ..AbuseSettings::default()
            },
            ..Settings::default()
        };
        RateLimits::from_settings(&settings).unwrap()
    }

    #[test]
    fn forwarded_addresses_count_only_from_trusted_proxies() {
        let req = TestRequest::default()
            .peer_addr("10.0.0.5:4000".parse().unwrap())
            .insert_header(("X-Forwarded-For", "1.2.3.4, 10.0.0.9"))
            .to_http_request();
        assert_eq!(limits("").client_ip(&req), "10.0.0.5".parse().ok());
        assert_eq!(limits("10.0.0.0/8").client_ip(&req), "1.2.3.4".parse().ok());
        assert_eq!(limits("10.0.0.5").client_ip(&req), "10.0.0.9".parse().ok());
    }

    #[test]
    fn over_the_limit_answers_429_with_a_wait() {
        let l = limits("");
        let req = TestRequest::default()
            .peer_addr("192.0.2.1:4000".parse().unwrap())
            .to_http_request();
        assert!(l.check(&req, Action::Register).is_ok());
        assert!(l.check(&req, Action::Register).is_ok());
        let e = l.check(&req, Action::Register).unwrap_err();
        assert_eq!(e.status(), 429);
        assert!(e.retry_after_secs() >= 1);
        // Other actions have their own budget.
        assert!(l.check(&req, Action::Claim).is_ok());
    }

    #[test]
    fn ipv6_clients_share_a_budget_per_64() {
        let l = limits("");
        let from = |addr: &str| {
            TestRequest::default()
                .peer_addr(addr.parse().unwrap())
                .to_http_request()
        };
        assert!(
            l.check(&from("[2001:db8::1]:4000"), Action::Register)
                .is_ok()
        );
        assert!(
            l.check(&from("[2001:db8::2]:4000"), Action::Register)
                .is_ok()
        );
        assert_eq!(
            l.check(&from("[2001:db8::ffff:3]:4000"), Action::Register)
                .unwrap_err()
                .status(),
            429
        );
        assert!(
            l.check(&from("[2001:db8:0:1::1]:4000"), Action::Register)
                .is_ok()
        );
        // IPv4 clients on an IPv6 socket keep their own budgets.
        assert!(
            l.check(&from("[::ffff:192.0.2.7]:1"), Action::Register)
                .is_ok()
        );
        assert!(
            l.check(&from("[::ffff:192.0.2.8]:1"), Action::Register)
                .is_ok()
        );
        assert!(
            l.check(&from("[::ffff:192.0.2.9]:1"), Action::Register)
                .is_ok()
        );
    }

    #[test]
    fn connections_count_per_client_but_not_for_trusted_proxies() {
        let l = limits("10.0.0.0/8");
        assert_eq!(l.connection_key("10.1.2.3".parse().unwrap()), None);
        assert_eq!(
            l.connection_key("2001:db8::7".parse().unwrap()),
            "2001:db8::".parse().ok()
        );
        assert_eq!(
            l.connection_key("::ffff:192.0.2.1".parse().unwrap()),
            "192.0.2.1".parse().ok()
        );
    }
}
