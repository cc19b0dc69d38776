//! The figures of the overview and the kiosks page: counts per kiosk and
//! Vietnam day kept beside the records as they arrive (so a 14-day chart at
//! national scale reads thousands of rows, not millions), the kiosks'
//! heartbeats and their own hourly counts. Counts only: no personal data,
//! every role may see them, within its groups.

use chrono::{DateTime, Duration, NaiveDate, Utc};

/// Vietnam's clock: the hub's days.
pub use checkpoint_domain::clock::vietnam;

/// One day's figures (or a sum of days) for some checkpoints.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Figures {
    pub declarations: u64,
    pub flagged: u64,
    pub reports: u64,
    /// Declarations whose kiosk could tell whether a Bluezone phone was
    /// near, and those where one was.
    pub observed: u64,
    pub with_bluezone: u64,
}

impl Figures {
    /// Share of observed check-ins with a Bluezone phone near, 0..=1.
    pub fn adoption(&self) -> Option<f64> {
        (self.observed > 0).then(|| self.with_bluezone as f64 / self.observed as f64)
    }

    pub fn add(&mut self, o: &Figures) {
        self.declarations += o.declarations;
        self.flagged += o.flagged;
        self.reports += o.reports;
        self.observed += o.observed;
        self.with_bluezone += o.with_bluezone;
    }

    /// What `self` counts beyond `part` (never below zero).
    pub fn beyond(&self, part: &Figures) -> Figures {
        Figures {
            declarations: self.declarations.saturating_sub(part.declarations),
            flagged: self.flagged.saturating_sub(part.flagged),
            reports: self.reports.saturating_sub(part.reports),
            observed: self.observed.saturating_sub(part.observed),
            with_bluezone: self.with_bluezone.saturating_sub(part.with_bluezone),
        }
    }
}

/// Which checkpoints a figure is about (always within the caller's scope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Level {
    All,
    Group(String),
    Checkpoint(String),
}

/// A kiosk as the kiosks page and the silent count see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct KioskHealth {
    pub kiosk_id: String,
    pub checkpoint_id: Option<String>,
    /// The last batch of records received from it.
    pub last_batch_at: Option<DateTime<Utc>>,
    /// The last heartbeat, and what it said.
    pub heard_at: Option<DateTime<Utc>>,
    pub software_version: Option<String>,
    pub queue_depth: Option<u64>,
    pub last_sync_error: Option<String>,
    pub camera: Option<String>,
    pub bluetooth: Option<String>,
    pub clock_skew_ms: Option<i64>,
    /// Check-ins the kiosk itself counted today (Vietnam's day), and
    /// Bluezone phones it heard.
    pub checkins_today: u64,
    pub bluezone_seen_today: u64,
}

impl KioskHealth {
    /// The last time the kiosk was heard from at all.
    pub fn last_heard(&self) -> Option<DateTime<Utc>> {
        self.heard_at.max(self.last_batch_at)
    }

    pub fn is_silent(&self, now: DateTime<Utc>, after: Duration) -> bool {
        self.last_heard().is_none_or(|t| now - t > after)
    }
}

/// A campaign target: a share of check-ins with a Bluezone phone near, for
/// a group or a checkpoint, by a date (the directive's "80% by 30 June").
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Target {
    /// Given by the store (0 before it is stored).
    pub id: i64,
    /// A group or a checkpoint.
    pub unit: Level,
    /// 1 to 100.
    pub percent: u8,
    pub deadline: NaiveDate,
}

impl Target {
    /// The unit as stored: its kind and its name or id.
    pub fn unit_columns(&self) -> (&'static str, &str) {
        match &self.unit {
            Level::Group(g) => ("group", g),
            Level::Checkpoint(c) => ("checkpoint", c),
            Level::All => ("all", ""),
        }
    }

    /// A stored target; `None` for a row no build of this hub writes.
    pub fn from_columns(
        id: i64,
        kind: &str,
        unit: String,
        percent: i64,
        deadline: &str,
    ) -> Option<Self> {
        let unit = match kind {
            "group" => Level::Group(unit),
            "checkpoint" => Level::Checkpoint(unit),
            _ => return None,
        };
        Some(Self {
            id,
            unit,
            percent: u8::try_from(percent)
                .ok()
                .filter(|p| (1..=100).contains(p))?,
            deadline: deadline.parse().ok()?,
        })
    }

    pub fn share(&self) -> f64 {
        f64::from(self.percent) / 100.0
    }
}

/// The Vietnam day of an instant.
pub fn day_of(t: DateTime<Utc>) -> NaiveDate {
    t.with_timezone(&vietnam()).date_naive()
}

/// The instant a Vietnam day starts.
pub fn day_start(day: NaiveDate) -> DateTime<Utc> {
    (day.and_hms_opt(0, 0, 0).unwrap_or_default() - Duration::hours(7)).and_utc()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_are_vietnam_days() {
        let t = "2026-12-04T17:30:00Z".parse::<DateTime<Utc>>().unwrap();
        assert_eq!(day_of(t).to_string(), "2026-12-05");
        assert_eq!(
            day_start(day_of(t)),
            "2026-12-04T17:00:00Z".parse::<DateTime<Utc>>().unwrap()
        );
    }

    #[test]
    fn silent_after_the_configured_time() {
        let now = Utc::now();
        let mut k = KioskHealth::default();
        assert!(k.is_silent(now, Duration::minutes(30)), "never heard");
        k.last_batch_at = Some(now - Duration::minutes(40));
        assert!(k.is_silent(now, Duration::minutes(30)));
        k.heard_at = Some(now - Duration::minutes(5));
        assert!(!k.is_silent(now, Duration::minutes(30)));
    }

    #[test]
    fn adoption_is_a_share_of_observed_check_ins() {
        let f = Figures {
            declarations: 10,
            observed: 8,
            with_bluezone: 6,
            ..Figures::default()
        };
        assert_eq!(f.adoption(), Some(0.75));
        assert_eq!(Figures::default().adoption(), None);
    }
}
