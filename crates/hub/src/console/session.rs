//! Console sessions: a random id in a cookie (Secure, HttpOnly,
//! SameSite=Strict), kept in the hub's memory with the account, its role and
//! groups, and the session's CSRF token. A session ends after 30 minutes
//! without a request, 12 hours after sign-in, at sign-out, or when the hub
//! restarts (everyone signs in again: nothing to steal from the disk).

use std::collections::HashMap;
use std::sync::Mutex;

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::accounts::{PersonalAccess, Role, Scope};

/// The session cookie's name. The `__Host-` prefix makes browsers keep it
/// only when it is Secure, for `Path=/` and without a `Domain`: no other
/// host (a sibling subdomain) can set or shadow it.
pub const COOKIE: &str = "__Host-ck_session";
/// Idle and absolute lifetimes.
pub const IDLE: Duration = Duration::minutes(30);
pub const ABSOLUTE: Duration = Duration::hours(12);

/// Who is signed in.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Session {
    pub account: String,
    pub role: Role,
    pub groups: Vec<String>,
    /// Every form of this session carries it; a POST without it is refused.
    pub csrf: String,
    started: DateTime<Utc>,
    seen: DateTime<Utc>,
}

impl Session {
    /// The checkpoints this account sees.
    pub fn scope(&self) -> Scope {
        Scope::of(&self.groups)
    }

    /// Leave to read personal data in that scope, where the role has it.
    pub fn personal_access(&self) -> Option<PersonalAccess> {
        self.role.personal_access(self.scope())
    }
}

/// 256 random bits, URL-safe.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::thread_rng().fill_bytes(&mut bytes);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

/// Compares two secrets without an early exit on the first differing byte
/// (through their digests, which have the same length).
pub fn same_secret(a: &str, b: &str) -> bool {
    let (da, db) = (Sha256::digest(a.as_bytes()), Sha256::digest(b.as_bytes()));
    da.iter()
        .zip(db.iter())
        .fold(0u8, |acc, (x, y)| acc | (x ^ y))
        == 0
}

/// The sessions of this hub, by id.
#[derive(Debug, Default)]
pub struct Sessions {
    by_id: Mutex<HashMap<String, Session>>,
}

impl Sessions {
    /// Starts a session; returns its id (the cookie's value).
    pub fn start(
        &self,
        account: &str,
        role: Role,
        groups: Vec<String>,
        now: DateTime<Utc>,
    ) -> String {
        let id = random_token();
        let session = Session {
            account: account.to_owned(),
            role,
            groups,
            csrf: random_token(),
            started: now,
            seen: now,
        };
        if let Ok(mut map) = self.by_id.lock() {
            map.retain(|_, s| live(s, now));
            map.insert(id.clone(), session);
        }
        id
    }

    /// The live session of `id`, marked as seen now.
    pub fn get(&self, id: &str, now: DateTime<Utc>) -> Option<Session> {
        let mut map = self.by_id.lock().ok()?;
        let session = map.get_mut(id)?;
        if !live(session, now) {
            map.remove(id);
            return None;
        }
        session.seen = now;
        Some(session.clone())
    }

    pub fn end(&self, id: &str) {
        if let Ok(mut map) = self.by_id.lock() {
            map.remove(id);
        }
    }

    /// Ends every session of an account (disabled, or its password changed).
    pub fn end_all_of(&self, account: &str) {
        if let Ok(mut map) = self.by_id.lock() {
            map.retain(|_, s| s.account != account);
        }
    }
}

fn live(s: &Session, now: DateTime<Utc>) -> bool {
    now - s.seen < IDLE && now - s.started < ABSOLUTE
}

/// The `Set-Cookie` value that holds a session (or, empty, clears it).
pub fn cookie(id: &str) -> String {
    let max_age = if id.is_empty() {
        0
    } else {
        ABSOLUTE.num_seconds()
    };
    format!("{COOKIE}={id}; Path=/; Max-Age={max_age}; Secure; HttpOnly; SameSite=Strict")
}

/// A cookie's value from a `Cookie` header.
pub fn cookie_value<'a>(header: &'a str, name: &str) -> Option<&'a str> {
    header.split(';').find_map(|pair| {
        let (k, v) = pair.trim().split_once('=')?;
        (k == name).then_some(v)
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_session_ends_when_idle_or_too_old_or_signed_out() {
        let s = Sessions::default();
        let t0 = Utc::now();
        let id = s.start("lan", Role::Viewer, vec![], t0);
        assert_eq!(
            s.get(&id, t0 + Duration::minutes(29)).unwrap().account,
            "lan"
        );
        // Each request restarts the idle clock, but not the absolute one.
        let mut t = t0;
        while t < t0 + Duration::hours(11) {
            t += Duration::minutes(20);
            assert!(s.get(&id, t).is_some());
        }
        assert!(s.get(&id, t0 + Duration::hours(12)).is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0);
        assert!(s.get(&id, t0 + Duration::minutes(31)).is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0);
        s.end(&id);
        assert!(s.get(&id, t0).is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0);
        s.end_all_of("lan");
        assert!(s.get(&id, t0).is_none());
    }

    #[test]
    fn tokens_are_random_and_compared_whole() {
        let (a, b) = (random_token(), random_token());
        assert_ne!(a, b);
        assert_eq!(a.len(), 43);
        assert!(same_secret(&a, &a.clone()));
        assert!(!same_secret(&a, &b));
        assert!(!same_secret(&a, &a[..42]));
    }

    #[test]
    fn the_cookie_has_every_flag_and_reads_back() {
        let c = cookie("abc");
        assert!(c.starts_with("__Host-ck_session=abc;"), "{c}");
        assert!(!c.contains("Domain"), "{c}");
        for flag in ["Secure", "HttpOnly", "SameSite=Strict", "Path=/"] {
            assert!(c.contains(flag), "{c}");
        }
        assert!(cookie("").contains("Max-Age=0"));
        assert_eq!(
            cookie_value("a=1; __Host-ck_session=xyz; ck_session=no; b=2", COOKIE),
            Some("xyz")
        );
        assert_eq!(cookie_value("a=1", COOKIE), None);
    }
}
