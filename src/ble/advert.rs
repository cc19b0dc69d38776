//! Advertisement data as the classifier sees it, from raw AD structures (the
//! bytes on the air) or from what BlueZ/btleplug already parsed.

use std::collections::BTreeMap;

use uuid::Uuid;

/// The Bluetooth base UUID; 16- and 32-bit UUIDs are short forms of it.
const BASE_UUID: u128 = 0x0000_0000_0000_1000_8000_0080_5F9B_34FB;

/// The full UUID of a 16- or 32-bit short UUID.
pub const fn uuid_from_short(short: u32) -> Uuid {
    Uuid::from_u128(((short as u128) << 96) | BASE_UUID)
}

/// The 16-bit short form of `uuid`, when it is built on the base UUID.
pub fn short_uuid(uuid: &Uuid) -> Option<u16> {
    let value = uuid.as_u128();
    let short = value >> 96;
    (value & ((1u128 << 96) - 1) == BASE_UUID && short <= u128::from(u16::MAX))
        .then(|| u16::try_from(short).ok())
        .flatten()
}

/// What a device advertises, whatever the source.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Advert {
    pub name: Option<String>,
    pub services: Vec<Uuid>,
    /// Company id -> payload after the company id.
    pub manufacturer_data: BTreeMap<u16, Vec<u8>>,
    pub service_data: BTreeMap<Uuid, Vec<u8>>,
    pub tx_power: Option<i8>,
}

/// What was wrong with raw advertisement bytes. Parsing keeps every structure
/// before the fault, so a damaged packet still says what it can.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum AdProblem {
    #[error("AD structure at byte {at} runs past the end of the data")]
    Truncated { at: usize },
    #[error("AD structure of type {ad_type:#04x} at byte {at} has a malformed payload")]
    Malformed { at: usize, ad_type: u8 },
}

/// Raw bytes parsed into an [`Advert`], with the first problem met, if any.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Parsed {
    pub advert: Advert,
    pub problem: Option<AdProblem>,
}

/// Parses advertising data (or scan response data): a run of
/// `length, type, payload` structures. Never panics, whatever the bytes.
pub fn parse_ad(raw: &[u8]) -> Parsed {
    let mut advert = Advert::default();
    let mut problem = None;
    let mut at = 0;
    while at < raw.len() {
        let len = usize::from(raw[at]);
        if len == 0 {
            // A zero length ends the significant part; the rest is padding.
            break;
        }
        let Some(body) = raw.get(at + 1..at + 1 + len) else {
            problem = Some(AdProblem::Truncated { at });
            break;
        };
        if let Some((&ad_type, payload)) = body.split_first()
            && !apply_structure(&mut advert, ad_type, payload)
        {
            problem.get_or_insert(AdProblem::Malformed { at, ad_type });
        }
        at += 1 + len;
    }
    Parsed { advert, problem }
}

/// Adds one AD structure; false when its payload does not fit its type.
fn apply_structure(ad: &mut Advert, ad_type: u8, payload: &[u8]) -> bool {
    match ad_type {
        // Incomplete / complete lists of 16-, 32- and 128-bit service UUIDs.
        0x02 | 0x03 => uuid_list(ad, payload, 2),
        0x04 | 0x05 => uuid_list(ad, payload, 4),
        0x06 | 0x07 => uuid_list(ad, payload, 16),
        // Shortened / complete local name.
        0x08 | 0x09 => {
            ad.name = Some(String::from_utf8_lossy(payload).into_owned());
            true
        }
        0x0A => match payload {
            [power] => {
                ad.tx_power = Some(i8::from_le_bytes([*power]));
                true
            }
            _ => false,
        },
        // Service data with a 16-, 32- or 128-bit UUID.
        0x16 => service_data(ad, payload, 2),
        0x20 => service_data(ad, payload, 4),
        0x21 => service_data(ad, payload, 16),
        0xFF => match payload {
            [lo, hi, rest @ ..] => {
                ad.manufacturer_data
                    .insert(u16::from_le_bytes([*lo, *hi]), rest.to_vec());
                true
            }
            _ => false,
        },
        _ => true,
    }
}

/// A UUID of `width` bytes, little-endian as on the air.
fn uuid_le(bytes: &[u8]) -> Option<Uuid> {
    match bytes.len() {
        2 => Some(uuid_from_short(u32::from(u16::from_le_bytes([
            bytes[0], bytes[1],
        ])))),
        4 => Some(uuid_from_short(u32::from_le_bytes([
            bytes[0], bytes[1], bytes[2], bytes[3],
        ]))),
        16 => {
            let mut be = [0u8; 16];
            for (dst, src) in be.iter_mut().zip(bytes.iter().rev()) {
                *dst = *src;
            }
            Some(Uuid::from_bytes(be))
        }
        _ => None,
    }
}

fn uuid_list(ad: &mut Advert, payload: &[u8], width: usize) -> bool {
    let chunks = payload.chunks_exact(width);
    let whole = chunks.remainder().is_empty();
    for chunk in chunks {
        if let Some(uuid) = uuid_le(chunk)
            && !ad.services.contains(&uuid)
        {
            ad.services.push(uuid);
        }
    }
    whole
}

fn service_data(ad: &mut Advert, payload: &[u8], width: usize) -> bool {
    let Some(uuid) = payload.get(..width).and_then(uuid_le) else {
        return false;
    };
    ad.service_data
        .insert(uuid, payload.get(width..).unwrap_or_default().to_vec());
    true
}

impl Advert {
    /// What btleplug reports for a peripheral (BlueZ parsed the air bytes).
    pub fn from_properties(props: &btleplug::api::PeripheralProperties) -> Self {
        Self {
            name: props.advertisement_name.clone(),
            services: props.services.clone(),
            manufacturer_data: props
                .manufacturer_data
                .iter()
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
            service_data: props
                .service_data
                .iter()
                .map(|(k, v)| (*k, v.clone()))
                .collect(),
            tx_power: props.tx_power_level.and_then(|p| i8::try_from(p).ok()),
        }
    }

    /// Whether the 16-bit service `short` is listed or carries service data.
    pub fn has_service16(&self, short: u16) -> bool {
        let uuid = uuid_from_short(u32::from(short));
        self.services.contains(&uuid) || self.service_data.contains_key(&uuid)
    }

    pub fn has_service(&self, uuid: &Uuid) -> bool {
        self.services.contains(uuid) || self.service_data.contains_key(uuid)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_uuids_roundtrip() {
        let u = uuid_from_short(0x4E56);
        assert_eq!(
            u.to_string(),
            "00004e56-0000-1000-8000-00805f9b34fb".to_owned()
        );
        assert_eq!(short_uuid(&u), Some(0x4E56));
        assert_eq!(short_uuid(&Uuid::from_u128(7)), None);
    }

    #[test]
    fn parses_flags_uuids_name_manufacturer() {
        let raw = [
            0x02, 0x01, 0x06, // flags
            0x03, 0x03, 0x56, 0x4E, // 16-bit UUID 0x4E56
            0x05, 0xFF, 0xB5, 0x22, 0xAA, 0xBB, // manufacturer 0x22B5
            0x04, 0x09, b'A', b'b', b'c', // name
            0x02, 0x0A, 0xF6, // tx power -10
        ];
        let p = parse_ad(&raw);
        assert_eq!(p.problem, None);
        assert_eq!(p.advert.services, vec![uuid_from_short(0x4E56)]);
        assert_eq!(
            p.advert.manufacturer_data.get(&0x22B5),
            Some(&vec![0xAA, 0xBB])
        );
        assert_eq!(p.advert.name.as_deref(), Some("Abc"));
        assert_eq!(p.advert.tx_power, Some(-10));
    }

    #[test]
    fn uuid128_is_little_endian_on_air() {
        let uuid = Uuid::from_u128(0x00004E56_73F5_4BC4_A12F_17D1AD07A667);
        let mut raw = vec![17, 0x07];
        raw.extend(uuid.as_bytes().iter().rev());
        let p = parse_ad(&raw);
        assert_eq!(p.problem, None);
        assert_eq!(p.advert.services, vec![uuid]);
    }

    #[test]
    fn truncated_structure_keeps_what_came_before() {
        let raw = [0x03, 0x03, 0x6F, 0xFD, 0x09, 0xFF, 0xB5];
        let p = parse_ad(&raw);
        assert_eq!(p.problem, Some(AdProblem::Truncated { at: 4 }));
        assert!(p.advert.has_service16(0xFD6F));
        assert!(p.advert.manufacturer_data.is_empty());
    }

    #[test]
    fn odd_uuid_list_and_short_manufacturer_are_malformed() {
        let p = parse_ad(&[0x04, 0x03, 0x56, 0x4E, 0x01]);
        assert_eq!(
            p.problem,
            Some(AdProblem::Malformed {
                at: 0,
                ad_type: 0x03
            })
        );
        assert!(p.advert.has_service16(0x4E56));
        let p = parse_ad(&[0x02, 0xFF, 0xB5]);
        assert_eq!(
            p.problem,
            Some(AdProblem::Malformed {
                at: 0,
                ad_type: 0xFF
            })
        );
        let p = parse_ad(&[0x02, 0x16, 0x6F]);
        assert_eq!(
            p.problem,
            Some(AdProblem::Malformed {
                at: 0,
                ad_type: 0x16
            })
        );
    }

    #[test]
    fn zero_length_ends_data_and_empty_is_fine() {
        assert_eq!(parse_ad(&[]).advert, Advert::default());
        let p = parse_ad(&[0x00, 0xFF, 0xFF, 0xFF]);
        assert_eq!(p.problem, None);
        assert_eq!(p.advert, Advert::default());
    }

    #[test]
    fn service_data_16bit() {
        let mut raw = vec![23, 0x16, 0x6F, 0xFD];
        raw.extend([0x11; 20]);
        let p = parse_ad(&raw);
        assert_eq!(p.problem, None);
        assert_eq!(
            p.advert
                .service_data
                .get(&uuid_from_short(0xFD6F))
                .map(Vec::len),
            Some(20)
        );
    }
}
