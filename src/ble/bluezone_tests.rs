//! Classification from raw advertisement bytes, as a phone sends them.

use proptest::prelude::*;

use super::*;
use crate::ble::advert::parse_ad;

const BZID: [u8; 12] = [
    0xA1, 0xB2, 0xC3, 0xD4, 0xE5, 0xF6, 0x07, 0x18, 0x29, 0x3A, 0x4B, 0x5C,
];

/// One AD structure: length, type, payload.
fn ad(ad_type: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![u8::try_from(payload.len() + 1).unwrap(), ad_type];
    v.extend_from_slice(payload);
    v
}

fn flags() -> Vec<u8> {
    ad(0x01, &[0x06])
}

fn android_raw(id: &[u8]) -> Vec<u8> {
    let mut mfr = vec![0xB5, 0x22];
    mfr.extend_from_slice(id);
    [flags(), ad(0x03, &[0x56, 0x4E]), ad(0xFF, &mfr)].concat()
}

fn classify_raw(raw: &[u8]) -> Classification {
    classify(&parse_ad(raw).advert)
}

fn apple(payload: &[u8]) -> Vec<u8> {
    let mut mfr = vec![0x4C, 0x00];
    mfr.extend_from_slice(payload);
    ad(0xFF, &mfr)
}

#[test]
fn android_with_uuid_and_id() {
    let c = classify_raw(&android_raw(&BZID));
    assert_eq!(c.class, DeviceClass::BluezoneAndroid);
    assert_eq!(c.bzid, Some(BzId(BZID)));
    assert_eq!(
        c.bzid.map(|b| b.to_string()).as_deref(),
        Some("A1B2C3D4E5F60718293A4B5C")
    );
}

#[test]
fn android_company_id_alone_is_enough() {
    let mut mfr = vec![0xB5, 0x22];
    mfr.extend_from_slice(&BZID);
    let c = classify_raw(&[flags(), ad(0xFF, &mfr)].concat());
    assert_eq!(c.class, DeviceClass::BluezoneAndroid);
    assert_eq!(c.bzid, Some(BzId(BZID)));
}

#[test]
fn android_uuid_alone_has_no_id() {
    let c = classify_raw(&[flags(), ad(0x03, &[0x56, 0x4E])].concat());
    assert_eq!(c.class, DeviceClass::BluezoneAndroid);
    assert_eq!(c.bzid, None);
}

#[test]
fn android_id_of_wrong_length_is_not_an_id() {
    let c = classify_raw(&android_raw(&BZID[..11]));
    assert_eq!(
        c,
        Classification {
            class: DeviceClass::BluezoneAndroid,
            bzid: None
        }
    );
    let long = [BZID.as_slice(), &[0x00]].concat();
    assert_eq!(classify_raw(&android_raw(&long)).bzid, None);
    // Company id with a short payload and no service UUID: nothing Bluezone about it.
    let c = classify_raw(&ad(0xFF, &[0xB5, 0x22, 0x01, 0x02]));
    assert_eq!(c.class, DeviceClass::Other);
}

#[test]
fn android_truncated_in_the_id_still_shows_the_service() {
    let raw = android_raw(&BZID);
    let cut = &raw[..raw.len() - 3];
    let parsed = parse_ad(cut);
    assert!(parsed.problem.is_some());
    assert_eq!(
        classify(&parsed.advert),
        Classification {
            class: DeviceClass::BluezoneAndroid,
            bzid: None
        }
    );
}

#[test]
fn ios_foreground_by_uuid_or_name() {
    let mut uuid = IOS_SERVICE.as_bytes().to_vec();
    uuid.reverse();
    let c = classify_raw(&[flags(), ad(0x07, &uuid)].concat());
    assert_eq!(
        c,
        Classification {
            class: DeviceClass::BluezoneIos,
            bzid: None
        }
    );
    let c = classify_raw(&[flags(), ad(0x09, b"Bluezone")].concat());
    assert_eq!(c.class, DeviceClass::BluezoneIos);
    let c = classify_raw(&[flags(), ad(0x09, b"Bluezone Speaker")].concat());
    assert_eq!(c.class, DeviceClass::Other);
}

#[test]
fn ios_ibeacon_of_version_307() {
    let mut beacon = vec![0x02, 0x15];
    beacon.extend_from_slice(IBEACON_UUID.as_bytes());
    beacon.extend_from_slice(&[0x00, 20, 0x00, 20, 0xC5]);
    assert_eq!(
        classify_raw(&apple(&beacon)).class,
        DeviceClass::BluezoneIos
    );
    beacon[19] = 21; // minor 21: someone else's beacon
    assert_eq!(classify_raw(&apple(&beacon)).class, DeviceClass::Other);
    assert_eq!(
        classify_raw(&apple(&beacon[..10])).class,
        DeviceClass::Other
    );
}

#[test]
fn ios_background_overflow_bit_is_unconfirmed() {
    let mut overflow = vec![0x01, 0x08];
    overflow.extend_from_slice(&[0; 15]);
    let c = classify_raw(&[flags(), apple(&overflow)].concat());
    assert_eq!(
        c,
        Classification {
            class: DeviceClass::BluezoneIosUnconfirmed,
            bzid: None
        }
    );
    // Other bits set as well: the mask still finds it.
    overflow[1] = 0xFF;
    assert_eq!(
        classify_raw(&apple(&overflow)).class,
        DeviceClass::BluezoneIosUnconfirmed
    );
    // The bit clear, or a bitmap cut short, or another Apple type: not Bluezone.
    overflow[1] = 0xF7;
    assert_eq!(classify_raw(&apple(&overflow)).class, DeviceClass::Other);
    overflow[1] = 0x08;
    assert_eq!(
        classify_raw(&apple(&overflow[..16])).class,
        DeviceClass::Other
    );
    overflow[0] = 0x10;
    assert_eq!(classify_raw(&apple(&overflow)).class, DeviceClass::Other);
}

#[test]
fn exposure_notification_by_service_data_or_uuid() {
    let mut data = vec![0x6F, 0xFD];
    data.extend_from_slice(&[0x42; 20]);
    let c = classify_raw(&[flags(), ad(0x03, &[0x6F, 0xFD]), ad(0x16, &data)].concat());
    assert_eq!(c.class, DeviceClass::ExposureNotification);
    let c = classify_raw(&ad(0x16, &data));
    assert_eq!(c.class, DeviceClass::ExposureNotification);
    // Service data of the wrong length without the UUID listed: not counted.
    let c = classify_raw(&ad(0x16, &data[..15]));
    assert_eq!(c.class, DeviceClass::Other);
}

#[test]
fn bluezone_wins_over_exposure_notification() {
    let raw = [android_raw(&BZID), ad(0x03, &[0x6F, 0xFD])].concat();
    assert_eq!(classify_raw(&raw).class, DeviceClass::BluezoneAndroid);
}

#[test]
fn headphones_and_empty_are_other() {
    let headset = [
        flags(),
        ad(0x03, &[0x0B, 0x11]),
        ad(0xFF, &[0x2D, 0x01, 0x01, 0x02]),
        ad(0x09, b"WH-1000XM4"),
    ]
    .concat();
    assert_eq!(classify_raw(&headset).class, DeviceClass::Other);
    assert_eq!(classify_raw(&[]).class, DeviceClass::Other);
}

#[test]
fn malformed_bytes_never_fake_a_bluezone_id() {
    for raw in [
        vec![0xFF],
        vec![0x0E, 0xFF, 0xB5, 0x22],
        vec![0x01, 0xFF],
        vec![0x02, 0x03, 0x56],
        vec![
            0x10, 0xFF, 0xB5, 0x22, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12,
        ],
    ] {
        assert_eq!(classify_raw(&raw).bzid, None, "{raw:?}");
    }
}

#[test]
fn masked_id_shows_only_a_prefix() {
    let id = BzId(BZID);
    assert_eq!(id.masked(), "A1B2…");
    assert!(!format!("{id:?}").contains("C3D4"));
}

proptest! {
    /// Random bytes never panic, and an ID is only ever reported with the Android class.
    #[test]
    fn random_bytes_never_panic(raw in proptest::collection::vec(any::<u8>(), 0..64)) {
        let parsed = parse_ad(&raw);
        let c = classify(&parsed.advert);
        if c.bzid.is_some() {
            prop_assert_eq!(c.class, DeviceClass::BluezoneAndroid);
        }
    }

    /// Random but well-formed structures, mixed with real Bluezone ones, parse whole.
    #[test]
    fn structured_random_adverts(
        parts in proptest::collection::vec((any::<u8>(), proptest::collection::vec(any::<u8>(), 0..30)), 0..6),
        id in proptest::array::uniform12(any::<u8>()),
        with_bluezone in any::<bool>(),
    ) {
        let mut raw: Vec<u8> = parts
            .iter()
            .filter(|(t, _)| ![0x02u8, 0x03, 0x04, 0x05, 0x06, 0x07, 0x0A, 0x16, 0x20, 0x21, 0xFF].contains(t))
            .flat_map(|(t, p)| ad(*t, p))
            .collect();
        if with_bluezone {
            raw.extend(android_raw(&id));
        }
        let parsed = parse_ad(&raw);
        prop_assert_eq!(parsed.problem, None);
        let c = classify(&parsed.advert);
        if with_bluezone {
            prop_assert_eq!(c, Classification { class: DeviceClass::BluezoneAndroid, bzid: Some(BzId(id)) });
        }
    }

    /// Any Apple payload: unconfirmed iOS exactly when the overflow rule says so.
    #[test]
    fn apple_payloads(payload in proptest::collection::vec(any::<u8>(), 0..24)) {
        let c = classify_raw(&apple(&payload));
        let expect = payload.first() == Some(&0x01) && payload.len() >= 17 && payload[1] & 0x08 != 0;
        prop_assert_eq!(c.class == DeviceClass::BluezoneIosUnconfirmed, expect);
    }
}
