//! Counting phones: who was heard in the sliding window, how near, and the
//! hourly counts. Pure (time is passed in), so tests drive it sample by sample.
//!
//! A "track" is one phone as best the air lets us tell. Sightings join a track
//! when they share its address or its Bluezone ID: a phone that changes its
//! address keeps its ID within the 15-minute slot, and a phone whose ID rotates
//! at a slot boundary keeps its address for a while, so it is counted once.
//! Tracks, with their addresses and IDs, are forgotten when they leave the
//! window: no raw ID outlives it.

use std::collections::HashMap;

use chrono::{DateTime, TimeDelta, Utc};
use serde::{Deserialize, Serialize};

use super::BleConfig;
use super::bluezone::{BzId, Classification, DeviceClass};
use super::clock::{SLOT_SECS, hour_start, slot_of};
use super::proximity::{Proximity, Thresholds};

/// Phone clocks drift: an ID change this close to a slot boundary is a rotation.
const SLOT_SKEW_SECS: i64 = 60;
/// Finished hours kept for the owner to save; older ones are dropped.
const MAX_FINISHED_HOURS: usize = 72;

/// One reading of one device.
#[derive(Debug, Clone, Copy)]
pub struct Sighting<'a> {
    pub address: &'a str,
    pub class: Classification,
    pub rssi: Option<i16>,
    pub at: DateTime<Utc>,
}

/// A number per class.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClassCounts {
    pub bluezone_android: u32,
    pub bluezone_ios: u32,
    pub bluezone_ios_unconfirmed: u32,
    pub exposure_notification: u32,
    pub other: u32,
}

impl ClassCounts {
    pub fn get(&self, class: DeviceClass) -> u32 {
        match class {
            DeviceClass::BluezoneAndroid => self.bluezone_android,
            DeviceClass::BluezoneIos => self.bluezone_ios,
            DeviceClass::BluezoneIosUnconfirmed => self.bluezone_ios_unconfirmed,
            DeviceClass::ExposureNotification => self.exposure_notification,
            DeviceClass::Other => self.other,
        }
    }

    fn slot(&mut self, class: DeviceClass) -> &mut u32 {
        match class {
            DeviceClass::BluezoneAndroid => &mut self.bluezone_android,
            DeviceClass::BluezoneIos => &mut self.bluezone_ios,
            DeviceClass::BluezoneIosUnconfirmed => &mut self.bluezone_ios_unconfirmed,
            DeviceClass::ExposureNotification => &mut self.exposure_notification,
            DeviceClass::Other => &mut self.other,
        }
    }

    fn add(&mut self, class: DeviceClass) {
        let n = self.slot(class);
        *n = n.saturating_add(1);
    }

    fn remove(&mut self, class: DeviceClass) {
        let n = self.slot(class);
        *n = n.saturating_sub(1);
    }

    fn max_with(&mut self, other: &ClassCounts) {
        for class in DeviceClass::ALL {
            let n = self.slot(class);
            *n = (*n).max(other.get(class));
        }
    }

    /// Bluezone phones for certain (Android + iOS, not the unconfirmed ones).
    pub fn bluezone(&self) -> u32 {
        self.bluezone_android.saturating_add(self.bluezone_ios)
    }

    /// Phones of any contact-tracing kind (everything but `other`).
    pub fn phones(&self) -> u32 {
        self.bluezone()
            .saturating_add(self.bluezone_ios_unconfirmed)
            .saturating_add(self.exposure_notification)
    }
}

/// What one UTC hour saw: distinct phones per class, and the highest count of
/// phones in the window at any moment of the hour.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct HourCounts {
    /// Start of the hour, UTC.
    pub hour: DateTime<Utc>,
    pub seen: ClassCounts,
    pub peak: ClassCounts,
    /// Highest number of phones (any app) in the window at once.
    pub peak_phones: u32,
    /// Highest number of Bluezone phones (Android + confirmed iOS) at once.
    pub peak_bluezone: u32,
}

impl HourCounts {
    /// The hour as the store keeps it.
    pub fn totals(&self) -> checkpoint_store::HourTotals {
        checkpoint_store::HourTotals {
            hour: self.hour,
            seen_bluezone_android: self.seen.bluezone_android,
            seen_bluezone_ios: self.seen.bluezone_ios,
            seen_bluezone_ios_unconfirmed: self.seen.bluezone_ios_unconfirmed,
            seen_exposure_notification: self.seen.exposure_notification,
            seen_other: self.seen.other,
            peak_bluezone: self.peak_bluezone,
            peak_phones: self.peak_phones,
        }
    }

    fn new(hour: DateTime<Utc>) -> Self {
        Self {
            hour,
            seen: ClassCounts::default(),
            peak: ClassCounts::default(),
            peak_phones: 0,
            peak_bluezone: 0,
        }
    }

    fn is_empty(&self) -> bool {
        self.seen == ClassCounts::default() && self.peak_phones == 0 && self.peak.other == 0
    }
}

/// A device for display (`ble scan`, the staff screen). No raw identifiers.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct DeviceView {
    pub class: DeviceClass,
    pub rssi: Option<i16>,
    pub proximity: Proximity,
    /// The first characters of the Bluezone ID, when known.
    pub bzid: Option<String>,
    /// The last address heard, its first half hidden.
    pub address: String,
    /// How many addresses this phone used within the window.
    pub addresses: usize,
    pub last_seen: DateTime<Utc>,
}

#[derive(Debug, Clone)]
struct Track {
    class: DeviceClass,
    /// The current Bluezone ID and the slot it was first heard in.
    bzid: Option<(BzId, i64)>,
    bzids: Vec<BzId>,
    addresses: Vec<String>,
    last_seen: DateTime<Utc>,
    rssi: Option<i16>,
    last_near: Option<DateTime<Utc>>,
    counted_hour: Option<DateTime<Utc>>,
}

/// Settings of the counting, from [`BleConfig`].
#[derive(Debug, Clone, Copy)]
pub struct TrackerSettings {
    pub window: TimeDelta,
    pub nearby_lookback: TimeDelta,
    pub thresholds: Thresholds,
    pub count_unconfirmed: bool,
}

impl TrackerSettings {
    pub fn from_config(cfg: &BleConfig) -> Self {
        let secs = |s: u64| TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000));
        Self {
            window: secs(cfg.window_secs.max(1)),
            nearby_lookback: secs(cfg.checkin_lookback_secs),
            thresholds: Thresholds::from_config(cfg),
            count_unconfirmed: cfg.count_unconfirmed_ios,
        }
    }
}

/// The phones heard recently, and the hourly counts.
#[derive(Debug)]
pub struct Tracker {
    settings: TrackerSettings,
    tracks: HashMap<u64, Track>,
    by_address: HashMap<String, u64>,
    by_bzid: HashMap<BzId, u64>,
    next_id: u64,
    hour: Option<HourCounts>,
    finished: Vec<HourCounts>,
    last_expiry: Option<DateTime<Utc>>,
}

impl Tracker {
    pub fn new(settings: TrackerSettings) -> Self {
        Self {
            settings,
            tracks: HashMap::new(),
            by_address: HashMap::new(),
            by_bzid: HashMap::new(),
            next_id: 0,
            hour: None,
            finished: Vec::new(),
            last_expiry: None,
        }
    }

    pub fn settings(&self) -> &TrackerSettings {
        &self.settings
    }

    /// Takes one reading into account.
    pub fn observe(&mut self, s: Sighting<'_>) {
        self.roll_hour(s.at);
        if self
            .last_expiry
            .is_none_or(|t| s.at - t >= TimeDelta::seconds(1) || s.at < t)
        {
            self.expire(s.at);
        }
        let slot = slot_of(s.at);
        let by_addr = self.by_address.get(s.address).copied();
        let by_id = s.class.bzid.and_then(|b| self.by_bzid.get(&b).copied());
        let conflict = |tid: u64| {
            let bzid = s.class.bzid;
            self.tracks.get(&tid).is_some_and(|t| match (t.bzid, bzid) {
                (Some((old, old_slot)), Some(new)) => {
                    old != new && old_slot == slot && !near_slot_boundary(s.at)
                }
                _ => false,
            })
        };
        let tid = match (by_addr, by_id) {
            (Some(a), Some(b)) if a == b => a,
            (Some(a), Some(b)) => {
                if conflict(a) {
                    self.detach_address(a, s.address);
                } else {
                    self.merge(a, b);
                }
                b
            }
            (None, Some(b)) => b,
            (Some(a), None) if !conflict(a) => a,
            (Some(a), None) => {
                // Another ID on this address within one slot: another phone.
                self.detach_address(a, s.address);
                self.new_track(s.class.class, s.at)
            }
            (None, None) => self.new_track(s.class.class, s.at),
        };
        self.update_track(tid, &s, slot);
    }

    fn new_track(&mut self, class: DeviceClass, at: DateTime<Utc>) -> u64 {
        let tid = self.next_id;
        self.next_id = self.next_id.wrapping_add(1);
        self.tracks.insert(
            tid,
            Track {
                class,
                bzid: None,
                bzids: Vec::new(),
                addresses: Vec::new(),
                last_seen: at,
                rssi: None,
                last_near: None,
                counted_hour: None,
            },
        );
        tid
    }

    fn update_track(&mut self, tid: u64, s: &Sighting<'_>, slot: i64) {
        let proximity = self.settings.thresholds.classify(s.class.class, s.rssi);
        let hour = self.hour.map(|h| h.hour);
        let Some(track) = self.tracks.get_mut(&tid) else {
            return;
        };
        let mut changed_counts = track.counted_hour.is_none();
        if s.at >= track.last_seen {
            track.last_seen = s.at;
            if s.rssi.is_some() {
                track.rssi = s.rssi;
            }
        }
        if proximity == Proximity::Near {
            track.last_near = Some(track.last_near.map_or(s.at, |t| t.max(s.at)));
        }
        if s.class.class.rank() > track.class.rank() {
            if track.counted_hour.is_some()
                && track.counted_hour == hour
                && let Some(h) = self.hour.as_mut()
            {
                h.seen.remove(track.class);
            }
            track.counted_hour = None;
            track.class = s.class.class;
            changed_counts = true;
        }
        if let Some(b) = s.class.bzid
            && track.bzid.map(|(cur, _)| cur) != Some(b)
        {
            track.bzid = Some((b, slot));
            if !track.bzids.contains(&b) {
                track.bzids.push(b);
            }
            self.by_bzid.insert(b, tid);
        }
        if !track.addresses.iter().any(|a| a == s.address) {
            track.addresses.push(s.address.to_owned());
        }
        self.by_address.insert(s.address.to_owned(), tid);
        if let Some(h) = self.hour.as_mut()
            && track.counted_hour != Some(h.hour)
        {
            h.seen.add(track.class);
            track.counted_hour = Some(h.hour);
        }
        if changed_counts {
            self.update_peaks(s.at);
        }
    }

    fn detach_address(&mut self, tid: u64, address: &str) {
        if let Some(t) = self.tracks.get_mut(&tid) {
            t.addresses.retain(|a| a != address);
        }
        self.by_address.remove(address);
    }

    /// Folds track `from` into track `into`: they were one phone all along.
    fn merge(&mut self, from: u64, into: u64) {
        let Some(f) = self.tracks.remove(&from) else {
            return;
        };
        let hour = self.hour.map(|h| h.hour);
        for a in &f.addresses {
            self.by_address.insert(a.clone(), into);
        }
        for b in &f.bzids {
            self.by_bzid.insert(*b, into);
        }
        let Some(t) = self.tracks.get_mut(&into) else {
            return;
        };
        if let Some(h) = self.hour.as_mut() {
            // Both were counted this hour: un-count both, the sighting being
            // processed counts the merged phone once.
            if f.counted_hour.is_some() && f.counted_hour == hour {
                h.seen.remove(f.class);
            }
            if t.counted_hour.is_some() && t.counted_hour == hour {
                h.seen.remove(t.class);
            }
        }
        t.counted_hour = None;
        if f.class.rank() > t.class.rank() {
            t.class = f.class;
        }
        for a in f.addresses {
            if !t.addresses.contains(&a) {
                t.addresses.push(a);
            }
        }
        for b in f.bzids {
            if !t.bzids.contains(&b) {
                t.bzids.push(b);
            }
        }
        if f.last_seen > t.last_seen {
            t.last_seen = f.last_seen;
            t.rssi = f.rssi.or(t.rssi);
        }
        t.last_near = t.last_near.max(f.last_near);
        if t.bzid.is_none() {
            t.bzid = f.bzid;
        }
    }

    /// Forgets phones not heard within the window, with their addresses and IDs.
    pub fn expire(&mut self, now: DateTime<Utc>) {
        self.last_expiry = Some(now);
        let oldest = now - self.settings.window;
        let gone: Vec<u64> = self
            .tracks
            .iter()
            .filter(|(_, t)| t.last_seen < oldest)
            .map(|(id, _)| *id)
            .collect();
        for tid in gone {
            if let Some(t) = self.tracks.remove(&tid) {
                for a in t.addresses {
                    if self.by_address.get(&a) == Some(&tid) {
                        self.by_address.remove(&a);
                    }
                }
                for b in t.bzids {
                    if self.by_bzid.get(&b) == Some(&tid) {
                        self.by_bzid.remove(&b);
                    }
                }
            }
        }
    }

    fn live(&self, now: DateTime<Utc>) -> impl Iterator<Item = &Track> {
        let oldest = now - self.settings.window;
        self.tracks.values().filter(move |t| t.last_seen >= oldest)
    }

    /// Distinct devices per class heard within the window before `now`.
    pub fn window_counts(&self, now: DateTime<Utc>) -> ClassCounts {
        let mut c = ClassCounts::default();
        for t in self.live(now) {
            c.add(t.class);
        }
        c
    }

    /// Whether a Bluezone phone was at the kiosk (RSSI above the near
    /// threshold) within the look-back before `now`: what a check-in notes.
    pub fn bluezone_nearby(&self, now: DateTime<Utc>) -> bool {
        let since = now - self.settings.nearby_lookback;
        self.tracks.values().any(|t| {
            let counts = t.class.is_bluezone()
                || (self.settings.count_unconfirmed
                    && t.class == DeviceClass::BluezoneIosUnconfirmed);
            counts
                && t.last_near
                    .is_some_and(|n| n >= since && n <= now + TimeDelta::seconds(5))
        })
    }

    /// The devices in the window, nearest first.
    pub fn devices(&self, now: DateTime<Utc>) -> Vec<DeviceView> {
        let mut out: Vec<DeviceView> = self
            .live(now)
            .map(|t| DeviceView {
                class: t.class,
                rssi: t.rssi,
                proximity: self.settings.thresholds.classify(t.class, t.rssi),
                bzid: t.bzid.map(|(b, _)| b.masked()),
                address: t
                    .addresses
                    .last()
                    .map_or_else(String::new, |a| mask_address(a)),
                addresses: t.addresses.len(),
                last_seen: t.last_seen,
            })
            .collect();
        out.sort_by(|a, b| b.rssi.cmp(&a.rssi).then(a.class.cmp(&b.class)));
        out
    }

    fn roll_hour(&mut self, now: DateTime<Utc>) {
        let start = hour_start(now);
        match self.hour {
            Some(h) if h.hour == start => {}
            previous => {
                if let Some(h) = previous
                    && !h.is_empty()
                {
                    self.finished.push(h);
                    if self.finished.len() > MAX_FINISHED_HOURS {
                        self.finished.remove(0);
                    }
                }
                self.hour = Some(HourCounts::new(start));
                self.update_peaks(now);
            }
        }
    }

    fn update_peaks(&mut self, now: DateTime<Utc>) {
        let live = self.window_counts(now);
        if let Some(h) = self.hour.as_mut() {
            h.peak.max_with(&live);
            h.peak_phones = h.peak_phones.max(live.phones());
            h.peak_bluezone = h.peak_bluezone.max(live.bluezone());
        }
    }

    /// Housekeeping without a sighting (a quiet hour still ends).
    pub fn tick(&mut self, now: DateTime<Utc>) {
        self.roll_hour(now);
        self.expire(now);
    }

    /// Hours that have ended, for the store; each is handed out once.
    pub fn take_finished_hours(&mut self) -> Vec<HourCounts> {
        std::mem::take(&mut self.finished)
    }

    /// Hours the store could not take: kept for the next try, oldest first.
    pub fn return_finished_hours(&mut self, mut hours: Vec<HourCounts>) {
        hours.append(&mut self.finished);
        let excess = hours.len().saturating_sub(MAX_FINISHED_HOURS);
        hours.drain(..excess);
        self.finished = hours;
    }

    /// The hour in progress so far (at shutdown). Its `seen` counts are reset,
    /// so saving it again later adds only what came after.
    pub fn take_current_hour(&mut self) -> Option<HourCounts> {
        let h = self.hour.as_mut()?;
        let out = *h;
        h.seen = ClassCounts::default();
        (!out.is_empty()).then_some(out)
    }
}

fn near_slot_boundary(at: DateTime<Utc>) -> bool {
    let into = at.timestamp().rem_euclid(SLOT_SECS);
    into < SLOT_SKEW_SECS || SLOT_SECS - into <= SLOT_SKEW_SECS
}

/// `AA:BB:CC:DD:EE:FF` -> `…:DD:EE:FF`: enough to tell devices apart on screen.
fn mask_address(address: &str) -> String {
    let parts: Vec<&str> = address.split(':').collect();
    if parts.len() == 6 {
        format!("…:{}", parts[3..].join(":"))
    } else {
        "…".to_owned()
    }
}

#[cfg(test)]
#[path = "tracker_tests.rs"]
mod tests;
