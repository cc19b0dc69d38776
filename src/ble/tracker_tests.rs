use chrono::{DateTime, TimeDelta, Utc};

use super::*;

fn at(s: &str) -> DateTime<Utc> {
    s.parse().unwrap()
}

fn tracker() -> Tracker {
    Tracker::new(TrackerSettings::from_config(&BleConfig::default()))
}

fn bz(n: u8) -> Classification {
    Classification {
        class: DeviceClass::BluezoneAndroid,
        bzid: Some(BzId([n; 12])),
    }
}

fn plain(class: DeviceClass) -> Classification {
    Classification { class, bzid: None }
}

fn see(t: &mut Tracker, address: &str, class: Classification, rssi: i16, when: DateTime<Utc>) {
    t.observe(Sighting {
        address,
        class,
        rssi: Some(rssi),
        at: when,
    });
}

#[test]
fn counts_distinct_devices_per_class() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(&mut t, "AA:00:00:00:00:01", bz(1), -60, now);
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -61,
        now + TimeDelta::seconds(1),
    );
    see(
        &mut t,
        "AA:00:00:00:00:02",
        plain(DeviceClass::BluezoneIos),
        -80,
        now,
    );
    see(
        &mut t,
        "AA:00:00:00:00:03",
        plain(DeviceClass::ExposureNotification),
        -80,
        now,
    );
    see(
        &mut t,
        "AA:00:00:00:00:04",
        plain(DeviceClass::Other),
        -40,
        now,
    );
    let c = t.window_counts(now + TimeDelta::seconds(2));
    assert_eq!(c.bluezone_android, 1);
    assert_eq!(c.bluezone_ios, 1);
    assert_eq!(c.exposure_notification, 1);
    assert_eq!(c.other, 1);
    assert_eq!(c.bluezone(), 2);
    assert_eq!(c.phones(), 3);
}

#[test]
fn address_change_within_a_slot_is_one_phone() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(&mut t, "AA:00:00:00:00:01", bz(1), -60, now);
    see(
        &mut t,
        "AA:00:00:00:00:09",
        bz(1),
        -60,
        now + TimeDelta::seconds(30),
    );
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(31))
            .bluezone_android,
        1
    );
    assert_eq!(t.devices(now + TimeDelta::seconds(31))[0].addresses, 2);
}

#[test]
fn id_rotation_at_slot_boundary_is_one_phone() {
    let mut t = tracker();
    let before = at("2021-05-01T10:14:50Z");
    see(&mut t, "AA:00:00:00:00:01", bz(1), -60, before);
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(2),
        -60,
        at("2021-05-01T10:15:02Z"),
    );
    // The new ID is then heard from a new address too.
    see(
        &mut t,
        "AA:00:00:00:00:07",
        bz(2),
        -60,
        at("2021-05-01T10:15:20Z"),
    );
    let c = t.window_counts(at("2021-05-01T10:15:30Z"));
    assert_eq!(c.bluezone_android, 1);
    t.tick(at("2021-05-01T11:00:01Z"));
    let hours = t.take_finished_hours();
    assert_eq!(hours.len(), 1);
    assert_eq!(hours[0].seen.bluezone_android, 1);
}

#[test]
fn two_ids_on_one_address_mid_slot_are_two_phones() {
    let mut t = tracker();
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        at("2021-05-01T10:05:00Z"),
    );
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(2),
        -60,
        at("2021-05-01T10:06:00Z"),
    );
    assert_eq!(
        t.window_counts(at("2021-05-01T10:06:01Z")).bluezone_android,
        2
    );
}

#[test]
fn address_known_then_id_known_elsewhere_merges() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    // A truncated advert first: class known, no ID.
    see(
        &mut t,
        "AA:00:00:00:00:01",
        plain(DeviceClass::BluezoneAndroid),
        -60,
        now,
    );
    see(
        &mut t,
        "AA:00:00:00:00:02",
        bz(5),
        -60,
        now + TimeDelta::seconds(1),
    );
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(1))
            .bluezone_android,
        2
    );
    // The first address now shows the same ID: one phone after all.
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(5),
        -60,
        now + TimeDelta::seconds(2),
    );
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(2))
            .bluezone_android,
        1
    );
    t.tick(at("2021-05-01T11:00:00Z"));
    assert_eq!(t.take_finished_hours()[0].seen.bluezone_android, 1);
}

#[test]
fn window_forgets_devices_and_their_ids() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(&mut t, "AA:00:00:00:00:01", bz(1), -60, now);
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(299))
            .bluezone_android,
        1
    );
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(301))
            .bluezone_android,
        0
    );
    t.expire(now + TimeDelta::seconds(301));
    assert!(t.tracks.is_empty() && t.by_bzid.is_empty() && t.by_address.is_empty());
    // Same ID later: a new track (the old one is gone), still one phone in the window.
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        now + TimeDelta::seconds(400),
    );
    assert_eq!(
        t.window_counts(now + TimeDelta::seconds(400))
            .bluezone_android,
        1
    );
}

#[test]
fn unconfirmed_ios_upgrades_when_confirmed() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(
        &mut t,
        "AA:00:00:00:00:01",
        plain(DeviceClass::BluezoneIosUnconfirmed),
        -60,
        now,
    );
    assert_eq!(t.window_counts(now).bluezone_ios_unconfirmed, 1);
    assert!(!t.bluezone_nearby(now));
    let confirmed = Classification {
        class: DeviceClass::BluezoneIos,
        bzid: Some(BzId([9; 12])),
    };
    see(
        &mut t,
        "AA:00:00:00:00:01",
        confirmed,
        -60,
        now + TimeDelta::seconds(1),
    );
    let c = t.window_counts(now + TimeDelta::seconds(1));
    assert_eq!((c.bluezone_ios, c.bluezone_ios_unconfirmed), (1, 0));
    assert!(t.bluezone_nearby(now + TimeDelta::seconds(1)));
    t.tick(at("2021-05-01T11:00:00Z"));
    let h = t.take_finished_hours()[0];
    assert_eq!(
        (h.seen.bluezone_ios, h.seen.bluezone_ios_unconfirmed),
        (1, 0)
    );
    assert_eq!(
        h.peak.bluezone_ios_unconfirmed, 1,
        "the peak keeps what was seen at the time"
    );
}

#[test]
fn nearby_needs_a_strong_bluezone_signal_recently() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(&mut t, "AA:00:00:00:00:01", bz(1), -95, now);
    see(
        &mut t,
        "AA:00:00:00:00:02",
        plain(DeviceClass::ExposureNotification),
        -40,
        now,
    );
    assert!(
        !t.bluezone_nearby(now),
        "far Bluezone and a near GAEN phone"
    );
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -55,
        now + TimeDelta::seconds(5),
    );
    assert!(t.bluezone_nearby(now + TimeDelta::seconds(6)));
    // Android advertises 15 s on, 15 s off: still nearby 20 s later, not 40 s later.
    assert!(t.bluezone_nearby(now + TimeDelta::seconds(25)));
    assert!(!t.bluezone_nearby(now + TimeDelta::seconds(40)));
}

#[test]
fn unconfirmed_counts_for_nearby_only_when_configured() {
    let cfg = BleConfig {
        count_unconfirmed_ios: true,
        ..BleConfig::default()
    };
    let mut t = Tracker::new(TrackerSettings::from_config(&cfg));
    let now = at("2021-05-01T10:05:00Z");
    see(
        &mut t,
        "AA:00:00:00:00:01",
        plain(DeviceClass::BluezoneIosUnconfirmed),
        -50,
        now,
    );
    assert!(t.bluezone_nearby(now));
}

#[test]
fn hourly_counts_roll_and_keep_peaks() {
    let mut t = tracker();
    for i in 0..3u8 {
        let addr = format!("AA:00:00:00:00:0{i}");
        see(&mut t, &addr, bz(i), -70, at("2021-05-01T10:50:00Z"));
    }
    // Two leave; one stays into the next hour and is counted there too.
    see(
        &mut t,
        "AA:00:00:00:00:00",
        bz(0),
        -70,
        at("2021-05-01T11:01:00Z"),
    );
    assert_eq!(
        t.take_current_hour().map(|h| h.seen.bluezone_android),
        Some(1)
    );
    t.tick(at("2021-05-01T12:00:00Z"));
    let hours = t.take_finished_hours();
    assert_eq!(hours.len(), 2);
    assert_eq!(hours[0].hour, at("2021-05-01T10:00:00Z"));
    assert_eq!(hours[0].seen.bluezone_android, 3);
    assert_eq!(hours[0].peak_phones, 3);
    assert_eq!(hours[0].peak_bluezone, 3);
    // 11:00 was already taken once (its seen count reset); its peak remains:
    // the two that left were out of the window by then.
    assert_eq!(hours[1].seen.bluezone_android, 0);
    assert_eq!(hours[1].peak.bluezone_android, 1);
    assert!(t.take_finished_hours().is_empty());
}

#[test]
fn bluezone_peak_counts_phones_present_together() {
    let mut t = tracker();
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        at("2021-05-01T10:05:00Z"),
    );
    let ios = plain(DeviceClass::BluezoneIos);
    see(
        &mut t,
        "AA:00:00:00:00:02",
        ios,
        -60,
        at("2021-05-01T10:20:00Z"),
    );
    t.tick(at("2021-05-01T11:00:00Z"));
    let h = t.take_finished_hours()[0];
    assert_eq!(h.peak.bluezone(), 2, "per-class peaks at different moments");
    assert_eq!(h.peak_bluezone, 1, "never two Bluezone phones at once");
}

#[test]
fn devices_are_masked_and_sorted() {
    let mut t = tracker();
    let now = at("2021-05-01T10:05:00Z");
    see(&mut t, "AA:BB:CC:DD:EE:01", bz(0xAB), -80, now);
    see(
        &mut t,
        "AA:BB:CC:DD:EE:02",
        plain(DeviceClass::Other),
        -40,
        now,
    );
    let d = t.devices(now);
    assert_eq!(d[0].class, DeviceClass::Other);
    assert_eq!(d[1].address, "…:DD:EE:01");
    assert_eq!(d[1].bzid.as_deref(), Some("ABAB…"));
    assert_eq!(d[1].proximity, Proximity::Contact);
}

#[test]
fn time_going_backwards_does_not_panic() {
    let mut t = tracker();
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        at("2021-05-01T10:05:00Z"),
    );
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        at("2021-05-01T09:05:00Z"),
    );
    t.tick(at("2021-05-01T08:00:00Z"));
    assert!(t.window_counts(at("2021-05-01T10:05:00Z")).bluezone_android <= 1);
}

#[test]
fn hours_given_back_are_kept_in_order() {
    let mut t = tracker();
    see(
        &mut t,
        "AA:00:00:00:00:01",
        bz(1),
        -60,
        at("2021-05-01T10:05:00Z"),
    );
    t.tick(at("2021-05-01T11:00:00Z"));
    let first = t.take_finished_hours();
    see(
        &mut t,
        "AA:00:00:00:00:02",
        bz(2),
        -60,
        at("2021-05-01T11:05:00Z"),
    );
    t.tick(at("2021-05-01T12:00:00Z"));
    t.return_finished_hours(first);
    let hours: Vec<_> = t.take_finished_hours().iter().map(|h| h.hour).collect();
    assert_eq!(
        hours,
        vec![at("2021-05-01T10:00:00Z"), at("2021-05-01T11:00:00Z")]
    );
}

mod random {
    use proptest::prelude::*;

    use super::*;

    fn class_of(n: u8) -> DeviceClass {
        DeviceClass::ALL[usize::from(n) % DeviceClass::ALL.len()]
    }

    proptest! {
        /// Any sequence of sightings, across slot and hour boundaries and even
        /// with time going backwards: no panic, never more devices than distinct
        /// (address, ID) pairs, and everything forgotten once the window has passed.
        #[test]
        fn invariants_hold(
            steps in proptest::collection::vec(
                (0u8..6, proptest::option::of(0u8..4), any::<u8>(), -100i16..-30, -20i64..400),
                1..80,
            )
        ) {
            let mut t = tracker();
            let mut now = at("2021-05-01T10:50:00Z");
            let mut addresses = std::collections::BTreeSet::new();
            for (addr, id, class, rssi, step) in steps {
                now += TimeDelta::seconds(step);
                let address = format!("AA:00:00:00:00:0{addr}");
                addresses.insert((address.clone(), id));
                let class = match id {
                    Some(n) => Classification { class: DeviceClass::BluezoneAndroid, bzid: Some(BzId([n; 12])) },
                    None => plain(class_of(class)),
                };
                see(&mut t, &address, class, rssi, now);
                let c = t.window_counts(now);
                let total = c.phones() + c.other;
                prop_assert!(total as usize <= addresses.len(), "{c:?} from {} pairs", addresses.len());
                let _ = t.bluezone_nearby(now);
                let _ = t.devices(now);
            }
            let later = now + TimeDelta::hours(2);
            t.tick(later);
            prop_assert!(t.tracks.is_empty() && t.by_address.is_empty() && t.by_bzid.is_empty());
            prop_assert_eq!(t.window_counts(later), ClassCounts::default());
        }
    }
}
