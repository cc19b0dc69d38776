//! What the window's status bar and `queue stats` show about sync, in one
//! small struct: how many records wait for the hub, how many it refused, the
//! last success and the last error.
//!
//! Two sources, merged: the store (counts, read from its indexes, and the times
//! written in the same transaction as each batch's marks: the truth about
//! the records) and the worker's status (what it is doing, the localised
//! reason of its last failure, the hub's clock skew). The window passes its
//! live status; the CLI reads the one the worker saved in the data folder.

use chrono::{DateTime, Utc};
use serde::Serialize;

use crate::paths::DataDir;
use crate::sync::status::{self, LastError, SyncStatus, WorkerState};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;
use checkpoint_store::QueueCounts;
use checkpoint_store::{QueueStats, Store, StoreError};

/// The status bar's figures.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SyncSummary {
    /// A hub is configured.
    pub enabled: bool,
    /// What the worker is doing (`disabled` without a hub).
    pub state: WorkerState,
    /// Records not yet confirmed by the hub (pending + in flight).
    pub pending: u64,
    /// Of those, sent and waiting for the answer.
    pub in_flight: u64,
    /// Refused by the hub for good; kept on the kiosk for staff.
    pub rejected: u64,
    pub last_success: Option<DateTime<Utc>>,
    pub last_error: Option<LastError>,
    /// The last error is newer than the last success.
    pub failing: bool,
    /// Hub clock minus kiosk clock at the last answer, in milliseconds.
    pub clock_skew_ms: Option<i64>,
}

impl SyncSummary {
    /// Merges the store's counts and times with the worker's status.
    pub fn new(
        enabled: bool,
        counts: QueueCounts,
        stats: &QueueStats,
        status: &SyncStatus,
    ) -> Self {
        let parse = |t: &Option<String>| t.as_deref().and_then(parse_time);
        let last_success = newest(parse(&stats.last_success), status.last_success);
        let stored_error = parse(&stats.last_error_at).map(|at| LastError {
            at,
            message: Message::new(fl!("sync-error-recorded"))
                .arg("detail", stats.last_error.as_deref().unwrap_or("-")),
            detail: stats.last_error.clone().unwrap_or_default(),
        });
        // The worker's own record says it in the staff's language; the
        // store's text stands in when no worker saved a status here.
        let last_error = match (status.last_error.clone(), stored_error) {
            (Some(w), Some(s)) if s.at > w.at + chrono::Duration::seconds(1) => Some(s),
            (Some(w), _) => Some(w),
            (None, s) => s,
        };
        let failing = match (&last_error, last_success) {
            (Some(e), Some(ok)) => e.at > ok,
            (Some(_), None) => true,
            (None, _) => false,
        };
        let state = if enabled {
            match status.state {
                WorkerState::Disabled => WorkerState::Idle,
                s => s,
            }
        } else {
            WorkerState::Disabled
        };
        Self {
            enabled,
            state,
            pending: counts.unsynced,
            in_flight: counts.in_flight,
            rejected: counts.rejected,
            last_success,
            last_error,
            failing,
            clock_skew_ms: status.clock_skew_ms,
        }
    }

    /// The window's bar: the store's figures with the worker's live status
    /// (`SyncHandle::status()`).
    pub fn from_store(
        store: &Store,
        status: &SyncStatus,
        enabled: bool,
    ) -> Result<Self, StoreError> {
        Ok(Self::new(
            enabled,
            store.sync_counts()?,
            &store.queue_stats()?,
            status,
        ))
    }

    /// From the store and the status the worker saved in the data folder
    /// (the CLI, or a window whose worker is not running).
    pub fn load(store: &Store, data: &DataDir, enabled: bool) -> Result<Self, StoreError> {
        Self::from_store(store, &saved_status(data), enabled)
    }

    /// Minutes the kiosk's clock is off the hub's (hub minus kiosk: negative
    /// when the kiosk runs fast), when more than the hub accepts; the hub
    /// keeps refusing records made that far ahead until it is set right.
    pub fn clock_off_minutes(&self) -> Option<i64> {
        const TOLERATED_MS: i64 = checkpoint_wire::CLOCK_AHEAD_TOLERANCE_MINUTES * 60 * 1000;
        self.clock_skew_ms
            .filter(|ms| ms.abs() > TOLERATED_MS)
            .map(|ms| ms / 60_000)
    }

    /// The status bar's one line, rendered late in the reader's language.
    pub fn message(&self) -> Message {
        let count = |m: Message| m.arg("count", self.pending);
        if !self.enabled {
            Message::new(fl!("sync-status-disabled"))
        } else if let Some(minutes) = self.clock_off_minutes() {
            // Records made by a clock this far off wait on the kiosk.
            let direction = if minutes < 0 { "ahead" } else { "behind" };
            Message::new(fl!("sync-status-clock"))
                .arg("minutes", minutes.abs())
                .arg("direction", direction)
        } else if self.failing && self.pending > 0 {
            count(Message::new(fl!("sync-status-retrying")))
        } else if self.state == WorkerState::Sending {
            Message::new(fl!("sync-status-sending"))
        } else if self.pending == 0 {
            Message::new(fl!("sync-status-idle"))
        } else {
            count(Message::new(fl!("sync-stats-unsynced")))
        }
    }
}

/// What the last worker saved in the data folder (none: the default).
pub fn saved_status(data: &DataDir) -> SyncStatus {
    status::load(&status::status_file(data)).unwrap_or_default()
}

fn parse_time(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

fn newest(a: Option<DateTime<Utc>>, b: Option<DateTime<Utc>>) -> Option<DateTime<Utc>> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_i18n::Lang;

    fn stats(success: Option<&str>, error_at: Option<&str>) -> QueueStats {
        QueueStats {
            last_success: success.map(str::to_owned),
            last_error_at: error_at.map(str::to_owned),
            last_error: error_at.map(|_| "connection refused".to_owned()),
            ..QueueStats::default()
        }
    }

    fn counts(unsynced: u64) -> QueueCounts {
        QueueCounts {
            unsynced,
            ..QueueCounts::default()
        }
    }

    #[test]
    fn without_a_hub_the_bar_says_so() {
        let s = SyncSummary::new(false, counts(4), &stats(None, None), &SyncStatus::default());
        assert_eq!(s.state, WorkerState::Disabled);
        assert_eq!(s.message().id, "sync-status-disabled");
        assert_eq!(s.pending, 4);
    }

    #[test]
    fn the_store_error_counts_when_no_worker_status_was_saved() {
        let s = SyncSummary::new(
            true,
            counts(3),
            &stats(
                Some("2025-07-01T08:00:00.000Z"),
                Some("2025-07-01T09:00:00.000Z"),
            ),
            &SyncStatus::default(),
        );
        assert!(s.failing);
        let e = s.last_error.clone().unwrap();
        assert_eq!(e.detail, "connection refused");
        assert!(e.message.render(Lang::En).contains("connection refused"));
        assert_eq!(s.message().id, "sync-status-retrying");
        assert!(s.message().render(Lang::En).contains('3'));
    }

    #[test]
    fn the_worker_status_wins_when_it_is_as_new() {
        let at: DateTime<Utc> = "2025-07-01T09:00:00Z".parse().unwrap();
        let status = SyncStatus {
            state: WorkerState::Retrying,
            last_error: Some(LastError {
                at,
                message: Message::new(fl!("sync-offline")),
                detail: "refused".into(),
            }),
            clock_skew_ms: Some(12),
            ..SyncStatus::default()
        };
        let s = SyncSummary::new(
            true,
            counts(1),
            &stats(None, Some("2025-07-01T09:00:00.500Z")),
            &status,
        );
        assert_eq!(s.last_error.unwrap().message.id, "sync-offline");
        assert_eq!(s.clock_skew_ms, Some(12));
    }

    #[test]
    fn a_clock_two_hours_fast_is_said_in_both_languages() {
        let status = SyncStatus {
            clock_skew_ms: Some(-2 * 3600 * 1000),
            ..SyncStatus::default()
        };
        let s = SyncSummary::new(true, counts(5), &stats(None, None), &status);
        assert_eq!(s.clock_off_minutes(), Some(-120));
        assert_eq!(s.message().id, "sync-status-clock");
        assert!(s.message().render(Lang::En).contains("120 min fast"));
        assert!(s.message().render(Lang::Vi).contains("nhanh 120 phút"));
        let slow = SyncStatus {
            clock_skew_ms: Some(15 * 60 * 1000),
            ..SyncStatus::default()
        };
        let s = SyncSummary::new(true, counts(0), &stats(None, None), &slow);
        assert!(s.message().render(Lang::En).contains("15 min slow"));
        let fine = SyncStatus {
            clock_skew_ms: Some(9 * 60 * 1000),
            ..SyncStatus::default()
        };
        let s = SyncSummary::new(true, counts(0), &stats(None, None), &fine);
        assert_eq!(s.clock_off_minutes(), None);
    }

    #[test]
    fn success_after_the_error_is_not_failing() {
        let s = SyncSummary::new(
            true,
            counts(0),
            &stats(
                Some("2025-07-01T10:00:00.000Z"),
                Some("2025-07-01T09:00:00.000Z"),
            ),
            &SyncStatus::default(),
        );
        assert!(!s.failing);
        assert_eq!(s.message().id, "sync-status-idle");
        let waiting = SyncSummary::new(
            true,
            counts(2),
            &stats(Some("2025-07-01T10:00:00.000Z"), None),
            &SyncStatus::default(),
        );
        assert_eq!(waiting.message().id, "sync-stats-unsynced");
    }
}
