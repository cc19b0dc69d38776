//! Console sessions: a random id in a cookie (Secure, HttpOnly,
//! SameSite=Strict), kept in the store (by the id's SHA-256, so a copy of the
//! database opens no session) with the account, its role and groups, and the
//! session's CSRF token. Every hub on one PostgreSQL sees the same sessions.
//! A session ends after 30 minutes without a request, 12 hours after
//! sign-in, or at sign-out.

use base64::Engine as _;
use chrono::{DateTime, Duration, Utc};
use rand::RngCore;
use sha2::{Digest, Sha256};

use crate::accounts::{PersonalAccess, Role, Scope};
use crate::db::{HubDb, StoredSession, split_groups, timestamp};

/// The session cookie's name. The `__Host-` prefix makes browsers keep it
/// only when it is Secure, for `Path=/` and without a `Domain`: no other
/// host (a sibling subdomain) can set or shadow it.
pub const COOKIE: &str = "__Host-ck_session";
/// Idle and absolute lifetimes.
pub const IDLE: Duration = Duration::minutes(30);
pub const ABSOLUTE: Duration = Duration::hours(12);
/// A session's last request is written back at most this often (not on
/// every page), which shortens its idle time by at most as much.
const SEEN_EVERY: Duration = Duration::minutes(1);

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

    fn read(stored: StoredSession) -> Option<Session> {
        Some(Session {
            account: stored.account,
            role: Role::parse(&stored.role)?,
            groups: split_groups(&stored.groups),
            csrf: stored.csrf,
            started: stored.started.parse().ok()?,
            seen: stored.seen.parse().ok()?,
        })
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

/// The sessions of every hub on this store.
#[derive(Debug, Clone)]
pub struct Sessions {
    db: HubDb,
}

/// What the store keeps of a session id: its SHA-256, as of a kiosk token.
fn id_hash(id: &str) -> String {
    crate::auth::hash_token(id)
}

impl Sessions {
    pub fn new(db: HubDb) -> Self {
        Self { db }
    }

    /// Starts a session; returns its id (the cookie's value), or `None`
    /// when the store could not keep it (the sign-in then fails).
    pub async fn start(
        &self,
        account: &str,
        role: Role,
        groups: Vec<String>,
        now: DateTime<Utc>,
    ) -> Option<String> {
        let id = random_token();
        let stored = StoredSession {
            account: account.to_owned(),
            role: role.as_str().to_owned(),
            groups: groups.join(","),
            csrf: random_token(),
            started: timestamp(now),
            seen: timestamp(now),
        };
        let (idle_before, started_before) = (timestamp(now - IDLE), timestamp(now - ABSOLUTE));
        match self
            .db
            .session_start(&id_hash(&id), &stored, &idle_before, &started_before)
            .await
        {
            Ok(()) => Some(id),
            Err(e) => {
                tracing::warn!(error = %e, "session not stored");
                None
            }
        }
    }

    /// The live session of `id`, marked as seen now.
    pub async fn get(&self, id: &str, now: DateTime<Utc>) -> Option<Session> {
        let hash = id_hash(id);
        let stored = self.db.session(&hash).await.ok()??;
        let Some(session) = Session::read(stored) else {
            self.end(id).await;
            return None;
        };
        if !live(&session, now) {
            self.end(id).await;
            return None;
        }
        if now - session.seen >= SEEN_EVERY
            && let Err(e) = self.db.session_seen(&hash, &timestamp(now)).await
        {
            tracing::warn!(error = %e, "session's last request not stored");
        }
        Some(session)
    }

    pub async fn end(&self, id: &str) {
        if let Err(e) = self.db.session_end(&id_hash(id)).await {
            tracing::warn!(error = %e, "session not ended in the store");
        }
    }

    /// Ends every session of an account (disabled, or its password changed).
    pub async fn end_all_of(&self, account: &str) {
        if let Err(e) = self.db.sessions_end_of(account).await {
            tracing::warn!(error = %e, "sessions not ended in the store");
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

    #[tokio::test]
    async fn a_session_ends_when_idle_or_too_old_or_signed_out() {
        let (_dir, db) = crate::db::temporary_store().await;
        let s = Sessions::new(db.clone());
        let t0 = Utc::now();
        let id = s.start("lan", Role::Viewer, vec![], t0).await.unwrap();
        assert_eq!(
            s.get(&id, t0 + Duration::minutes(29))
                .await
                .unwrap()
                .account,
            "lan"
        );
        // Each request restarts the idle clock, but not the absolute one.
        let mut t = t0;
        while t < t0 + Duration::hours(11) {
            t += Duration::minutes(20);
            assert!(s.get(&id, t).await.is_some());
        }
        assert!(s.get(&id, t0 + Duration::hours(12)).await.is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0).await.unwrap();
        assert!(s.get(&id, t0 + Duration::minutes(31)).await.is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0).await.unwrap();
        s.end(&id).await;
        assert!(s.get(&id, t0).await.is_none());
        let id = s.start("lan", Role::Viewer, vec![], t0).await.unwrap();
        s.end_all_of("lan").await;
        assert!(s.get(&id, t0).await.is_none());
    }

    #[tokio::test]
    async fn a_session_is_kept_by_its_hash_with_its_role_and_groups() {
        let (_dir, db) = crate::db::temporary_store().await;
        let s = Sessions::new(db.clone());
        let now = Utc::now();
        let groups = vec!["GA".to_owned(), "GB".to_owned()];
        let id = s
            .start("hoa", Role::HealthOfficer, groups.clone(), now)
            .await
            .unwrap();
        assert!(
            db.session(&id).await.unwrap().is_none(),
            "not by the id itself"
        );
        // A second hub on the same store (here: a second handle) sees it.
        let other = Sessions::new(db);
        let seen = other.get(&id, now).await.unwrap();
        assert_eq!(
            (seen.account.as_str(), seen.role, seen.groups),
            ("hoa", Role::HealthOfficer, groups)
        );
        assert_eq!(seen.csrf.len(), 43);
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
