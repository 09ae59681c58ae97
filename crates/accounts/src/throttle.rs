//! Login throttling: too many failed sign-ins for one account, or from one address, within a
//! window lock further attempts out until the oldest failure leaves the window.
//!
//! Kept in memory: one web node needs no more. Several nodes behind a balancer will need it in
//! the shared store.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

/// Failures allowed per account within [`WINDOW_MINUTES`].
pub const ACCOUNT_LIMIT: usize = 5;
/// Failures allowed from one address within [`WINDOW_MINUTES`] (higher: an office may share
/// one address).
pub const ADDRESS_LIMIT: usize = 20;
pub const WINDOW_MINUTES: i64 = 15;
/// Keys kept before old ones are swept, so a flood of made-up emails cannot grow memory
/// without bound.
const MAX_KEYS: usize = 50_000;

#[derive(Debug, Default)]
pub struct Throttle {
    failures: HashMap<String, VecDeque<DateTime<Utc>>>,
}

impl Throttle {
    fn window() -> Duration {
        Duration::minutes(WINDOW_MINUTES)
    }

    fn wait(&mut self, key: &str, limit: usize, now: DateTime<Utc>) -> Option<Duration> {
        let times = self.failures.get_mut(key)?;
        while times.front().is_some_and(|t| *t + Self::window() <= now) {
            times.pop_front();
        }
        if times.len() >= limit {
            times.front().map(|t| *t + Self::window() - now)
        } else {
            None
        }
    }

    /// How long to wait, if either key has failed too often.
    pub fn blocked(
        &mut self,
        account: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let a = self.wait(account, ACCOUNT_LIMIT, now);
        let b = self.wait(address, ADDRESS_LIMIT, now);
        a.max(b)
    }

    pub fn failed(&mut self, account: &str, address: &str, now: DateTime<Utc>) {
        if self.failures.len() > MAX_KEYS {
            self.failures
                .retain(|_, times| times.back().is_some_and(|t| *t + Self::window() > now));
        }
        for key in [account, address] {
            self.failures
                .entry(key.to_owned())
                .or_default()
                .push_back(now);
        }
    }

    pub fn succeeded(&mut self, account: &str) {
        self.failures.remove(account);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_lock_the_account_for_the_window_only() {
        let mut t = Throttle::default();
        let start = "2026-11-21T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        for i in 0..ACCOUNT_LIMIT {
            assert!(t.blocked("a", "ip", start).is_none());
            t.failed("a", "ip", start + Duration::seconds(i as i64));
        }
        assert!(t.blocked("a", "ip", start + Duration::minutes(1)).is_some());
        assert!(t.blocked("b", "ip", start + Duration::minutes(1)).is_none());
        assert!(
            t.blocked("a", "ip", start + Duration::minutes(16))
                .is_none()
        );
    }

    #[test]
    fn many_accounts_from_one_address_lock_the_address() {
        let mut t = Throttle::default();
        let now = "2026-11-21T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        for i in 0..ADDRESS_LIMIT {
            t.failed(&format!("user{i}"), "ip", now);
        }
        assert!(t.blocked("fresh", "ip", now).is_some());
        assert!(t.blocked("fresh", "other-ip", now).is_none());
    }
}
