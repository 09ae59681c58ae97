//! Rate limits over a sliding window: after `limit` events for one key within the window,
//! further attempts wait until the oldest event leaves it. Used for failed sign-ins (per
//! account and per address) and for suggestions from the public (per address).
//!
//! Kept in memory: one web node needs no more. Several nodes behind a balancer will need it in
//! the shared store.

use std::collections::{HashMap, VecDeque};

use chrono::{DateTime, Duration, Utc};

/// Keys kept before old ones are swept, so a flood of made-up keys cannot grow memory
/// without bound.
const MAX_KEYS: usize = 50_000;

#[derive(Debug)]
pub struct RateLimit {
    limit: usize,
    window: Duration,
    events: HashMap<String, VecDeque<DateTime<Utc>>>,
}

impl RateLimit {
    pub fn new(limit: usize, window: Duration) -> Self {
        RateLimit {
            limit,
            window,
            events: HashMap::new(),
        }
    }

    /// How long `key` must wait, if it has reached the limit.
    pub fn wait(&mut self, key: &str, now: DateTime<Utc>) -> Option<Duration> {
        let times = self.events.get_mut(key)?;
        while times.front().is_some_and(|t| *t + self.window <= now) {
            times.pop_front();
        }
        if times.len() >= self.limit {
            times.front().map(|t| *t + self.window - now)
        } else {
            None
        }
    }

    pub fn record(&mut self, key: &str, now: DateTime<Utc>) {
        if self.events.len() > MAX_KEYS {
            let window = self.window;
            self.events
                .retain(|_, times| times.back().is_some_and(|t| *t + window > now));
        }
        self.events
            .entry(key.to_owned())
            .or_default()
            .push_back(now);
    }

    pub fn clear(&mut self, key: &str) {
        self.events.remove(key);
    }
}

/// Failed sign-ins allowed per account within [`WINDOW_MINUTES`].
pub const ACCOUNT_LIMIT: usize = 5;
/// Failed sign-ins allowed from one address within [`WINDOW_MINUTES`] (higher: an office
/// may share one address).
pub const ADDRESS_LIMIT: usize = 20;
pub const WINDOW_MINUTES: i64 = 15;

/// Sign-in throttling: per account and per address.
#[derive(Debug)]
pub struct Throttle {
    accounts: RateLimit,
    addresses: RateLimit,
}

impl Default for Throttle {
    fn default() -> Self {
        let window = Duration::minutes(WINDOW_MINUTES);
        Throttle {
            accounts: RateLimit::new(ACCOUNT_LIMIT, window),
            addresses: RateLimit::new(ADDRESS_LIMIT, window),
        }
    }
}

impl Throttle {
    /// How long to wait, if either the account or the address has failed too often.
    pub fn blocked(
        &mut self,
        account: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let a = self.accounts.wait(account, now);
        let b = self.addresses.wait(address, now);
        a.max(b)
    }

    pub fn failed(&mut self, account: &str, address: &str, now: DateTime<Utc>) {
        self.accounts.record(account, now);
        self.addresses.record(address, now);
    }

    pub fn succeeded(&mut self, account: &str) {
        self.accounts.clear(account);
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
