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

/// Failed sign-ins allowed for one account from one address within [`WINDOW_MINUTES`]: the
/// person who mistypes, or one attacker guessing. Only that pair waits, so an attacker
/// cannot lock the real user out.
pub const PAIR_LIMIT: usize = 5;
/// Failed sign-ins allowed from one address within [`WINDOW_MINUTES`], whatever the account
/// (higher: an office may share one address).
pub const ADDRESS_LIMIT: usize = 20;
/// Failed sign-ins allowed for one account from everywhere within [`WINDOW_MINUTES`]: a
/// ceiling on guessing spread over many addresses, far above what mistakes reach.
pub const ACCOUNT_LIMIT: usize = 100;
pub const WINDOW_MINUTES: i64 = 15;

/// Sign-in throttling: per account and address together, per address, and a high ceiling
/// per account. Addresses are compared as given; callers group IPv6 by network
/// ([`address_key`]).
#[derive(Debug)]
pub struct Throttle {
    pairs: RateLimit,
    addresses: RateLimit,
    accounts: RateLimit,
}

impl Default for Throttle {
    fn default() -> Self {
        let window = Duration::minutes(WINDOW_MINUTES);
        Throttle {
            pairs: RateLimit::new(PAIR_LIMIT, window),
            addresses: RateLimit::new(ADDRESS_LIMIT, window),
            accounts: RateLimit::new(ACCOUNT_LIMIT, window),
        }
    }
}

fn pair(account: &str, address: &str) -> String {
    format!("{account}\u{0}{address}")
}

/// How an address is counted: an IPv4 address alone; an IPv6 address by its /64 network,
/// since one machine is usually given a whole /64 and could otherwise change address at will.
pub fn address_key(address: std::net::IpAddr) -> String {
    match address {
        std::net::IpAddr::V4(v4) => v4.to_string(),
        std::net::IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => v4.to_string(),
            None => {
                let s = v6.segments();
                format!("{:x}:{:x}:{:x}:{:x}::/64", s[0], s[1], s[2], s[3])
            }
        },
    }
}

impl Throttle {
    /// How long to wait, if this account from this address, this address, or this account
    /// from everywhere has failed too often.
    pub fn blocked(
        &mut self,
        account: &str,
        address: &str,
        now: DateTime<Utc>,
    ) -> Option<Duration> {
        let a = self.pairs.wait(&pair(account, address), now);
        let b = self.addresses.wait(address, now);
        let c = self.accounts.wait(account, now);
        a.max(b).max(c)
    }

    pub fn failed(&mut self, account: &str, address: &str, now: DateTime<Utc>) {
        self.pairs.record(&pair(account, address), now);
        self.addresses.record(address, now);
        self.accounts.record(account, now);
    }

    /// The right password from this address forgives its mistakes.
    pub fn succeeded(&mut self, account: &str, address: &str) {
        self.pairs.clear(&pair(account, address));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn five_failures_make_that_address_wait_for_that_account_only() {
        let mut t = Throttle::default();
        let start = "2026-11-21T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        for i in 0..PAIR_LIMIT {
            assert!(t.blocked("a", "attacker", start).is_none());
            t.failed("a", "attacker", start + Duration::seconds(i as i64));
        }
        let soon = start + Duration::minutes(1);
        assert!(t.blocked("a", "attacker", soon).is_some());
        assert!(
            t.blocked("a", "owner", soon).is_none(),
            "the real user, elsewhere, is not locked out"
        );
        assert!(t.blocked("b", "attacker", soon).is_none());
        assert!(
            t.blocked("a", "attacker", start + Duration::minutes(16))
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

    #[test]
    fn guessing_from_many_addresses_meets_a_high_ceiling_per_account() {
        let mut t = Throttle::default();
        let now = "2026-11-21T10:00:00Z".parse::<DateTime<Utc>>().unwrap();
        for i in 0..ACCOUNT_LIMIT - 1 {
            t.failed("a", &format!("ip{i}"), now);
        }
        assert!(t.blocked("a", "owner", now).is_none());
        t.failed("a", "ip-last", now);
        assert!(t.blocked("a", "owner", now).is_some());
    }

    #[test]
    fn ipv6_addresses_count_by_their_64_network() {
        let a: std::net::IpAddr = "2001:db8:1:2::1".parse().unwrap();
        let b: std::net::IpAddr = "2001:db8:1:2:ffff::9".parse().unwrap();
        let c: std::net::IpAddr = "2001:db8:1:3::1".parse().unwrap();
        assert_eq!(address_key(a), address_key(b));
        assert_ne!(address_key(a), address_key(c));
        let mapped: std::net::IpAddr = "::ffff:192.0.2.7".parse().unwrap();
        assert_eq!(address_key(mapped), "192.0.2.7");
    }
}
