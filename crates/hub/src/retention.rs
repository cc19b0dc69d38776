//! Retention on the hub: records older than the configured days are
//! deleted on a timer (flagged visitors under follow-up kept up to a longer
//! maximum); the console shows the rule and the last run.

use std::sync::Mutex;
use std::time::Duration;

use chrono::{DateTime, Utc};
use tokio::sync::watch;

use crate::db::{HubDb, Purged, RetentionRule};

/// The rule and what its last run did.
#[derive(Debug)]
pub struct Retention {
    pub rule: RetentionRule,
    last: Mutex<Option<LastRun>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LastRun {
    pub at: DateTime<Utc>,
    /// `None`: the run failed (the store did not answer).
    pub purged: Option<Purged>,
}

impl Retention {
    pub fn new(rule: RetentionRule) -> Self {
        Self {
            rule,
            last: Mutex::new(None),
        }
    }

    pub fn last(&self) -> Option<LastRun> {
        self.last.lock().ok().and_then(|l| *l)
    }

    fn set_last(&self, run: LastRun) {
        if let Ok(mut last) = self.last.lock() {
            *last = Some(run);
        }
    }
}

/// The name under which runs are claimed in the store.
const TIMER: &str = "retention";

/// Purges once at start, then every `every`, until `stop`. Each run is
/// claimed in the store first: of several hubs sharing one PostgreSQL, one
/// purges per period and the others wait for the next.
pub async fn run(
    db: HubDb,
    retention: std::sync::Arc<Retention>,
    every: Duration,
    mut stop: watch::Receiver<bool>,
) {
    let period = chrono::Duration::from_std(every).unwrap_or(chrono::Duration::hours(1));
    loop {
        let now = Utc::now();
        match db.claim_run(TIMER, now, period).await {
            Ok(true) => purge(&db, &retention, now).await,
            Ok(false) => tracing::debug!("retention: another hub ran it within the period"),
            Err(e) => {
                tracing::warn!(error = %e, "retention: could not claim the run; will try again")
            }
        }
        tokio::select! {
            _ = tokio::time::sleep(every) => {}
            _ = stop.changed() => return,
        }
    }
}

async fn purge(db: &HubDb, retention: &Retention, now: DateTime<Utc>) {
    let purged = match db.purge(&retention.rule, now).await {
        Ok(p) => {
            // Once a period on one hub of those sharing the store.
            tracing::info!(
                records = p.records,
                kept_for_follow_up = p.kept_for_follow_up,
                audit_entries = p.audit_entries,
                "retention ran: records and audit entries past their time deleted"
            );
            Some(p)
        }
        Err(e) => {
            tracing::warn!(error = %e, "retention: purge failed; will try again");
            None
        }
    };
    retention.set_last(LastRun { at: now, purged });
}
