//! Sign-in throttles: at most `max_failures` failed sign-ins per subject (an
//! account name, or a client address) in `window`; beyond that the subject
//! is refused until its oldest failure leaves the window, even with the right
//! password. Failures live in the store, so a lockout made through one hub
//! holds on every hub sharing its PostgreSQL; each failure forgets those
//! older than the window (a sprayed name is not kept for ever).

use chrono::{DateTime, Duration, Utc};

use crate::db::{HubDb, timestamp};

#[derive(Debug, Clone)]
pub struct Throttle {
    db: HubDb,
    /// Keeps subjects of each throttle apart in the one table.
    kind: &'static str,
    max_failures: u64,
    window: Duration,
}

impl Throttle {
    /// 5 failures per account name (any case) per 15 minutes.
    pub fn by_account(db: HubDb) -> Self {
        Self::new(db, "account", 5, Duration::minutes(15))
    }

    /// 20 failures per client address per 15 minutes (one name sprayed
    /// across accounts, or many names from one place).
    pub fn by_address(db: HubDb) -> Self {
        Self::new(db, "address", 20, Duration::minutes(15))
    }

    pub fn new(db: HubDb, kind: &'static str, max_failures: u64, window: Duration) -> Self {
        Self {
            db,
            kind,
            max_failures,
            window,
        }
    }

    fn subject(&self, name: &str) -> String {
        format!("{}:{}", self.kind, name.to_lowercase())
    }

    /// When the subject may try again; `None` when it may now. A store that
    /// does not answer blocks (the sign-in needs it anyway).
    pub async fn blocked_until(&self, name: &str, now: DateTime<Utc>) -> Option<DateTime<Utc>> {
        let since = timestamp(now - self.window);
        match self.db.signin_failures(&self.subject(name), &since).await {
            Ok((n, oldest)) if n >= self.max_failures => {
                let oldest = oldest.and_then(|o| o.parse::<DateTime<Utc>>().ok());
                Some(oldest.unwrap_or(now) + self.window)
            }
            Ok(_) => None,
            Err(e) => {
                tracing::warn!(error = %e, "sign-in throttle: the store did not answer");
                Some(now + Duration::minutes(1))
            }
        }
    }

    pub async fn failed(&self, name: &str, now: DateTime<Utc>) {
        let (at, forget) = (timestamp(now), timestamp(now - self.window));
        if let Err(e) = self
            .db
            .signin_failed(&self.subject(name), &at, &forget)
            .await
        {
            tracing::warn!(error = %e, "sign-in throttle: failure not stored");
        }
    }

    pub async fn succeeded(&self, name: &str) {
        if let Err(e) = self.db.signin_forget(&self.subject(name)).await {
            tracing::warn!(error = %e, "sign-in throttle: failures not forgotten");
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::SubsecRound;

    #[tokio::test]
    async fn five_failures_block_the_account_for_fifteen_minutes() {
        let (_dir, db) = crate::db::temporary_store().await;
        let t = Throttle::by_account(db.clone());
        // Failures are kept to the millisecond.
        let t0 = Utc::now().trunc_subsecs(3);
        for i in 0..5 {
            assert_eq!(t.blocked_until("Lan", t0).await, None, "attempt {i}");
            t.failed("Lan", t0 + Duration::seconds(i)).await;
        }
        assert_eq!(
            t.blocked_until("lan", t0 + Duration::seconds(10)).await,
            Some(t0 + Duration::minutes(15))
        );
        assert_eq!(t.blocked_until("other", t0).await, None);
        // The address throttle keeps its own subjects.
        let by_address = Throttle::by_address(db);
        assert_eq!(by_address.blocked_until("lan", t0).await, None);
        assert_eq!(
            t.blocked_until("lan", t0 + Duration::minutes(15)).await,
            None
        );
        t.succeeded("lan").await;
        assert_eq!(
            t.blocked_until("lan", t0 + Duration::seconds(10)).await,
            None
        );
    }

    #[tokio::test]
    async fn the_throttle_forgets_failures_whose_window_passed() {
        let (_dir, db) = crate::db::temporary_store().await;
        let throttle = Throttle::by_account(db.clone());
        let start = Utc::now();
        for i in 0..200 {
            throttle.failed(&format!("spray{i}"), start).await;
        }
        assert_eq!(db.signin_failures_kept().await.unwrap(), 200);
        let later = start + Duration::minutes(16);
        throttle.failed("one-more", later).await;
        assert_eq!(
            db.signin_failures_kept().await.unwrap(),
            1,
            "the sprayed names are gone"
        );
        for _ in 0..5 {
            throttle.failed("lan", later).await;
        }
        assert!(throttle.blocked_until("lan", later).await.is_some());
    }

    #[tokio::test]
    async fn a_second_handle_on_the_store_sees_the_lock() {
        let (_dir, db) = crate::db::temporary_store().await;
        let (one, two) = (Throttle::by_account(db.clone()), Throttle::by_account(db));
        let now = Utc::now();
        for _ in 0..5 {
            one.failed("lan", now).await;
        }
        assert!(two.blocked_until("lan", now).await.is_some());
    }
}
