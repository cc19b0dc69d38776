//! The staff PIN: stored only as a salted PBKDF2-SHA256 hash in the
//! configuration (`kiosk.staff_pin_hash`), checked in constant time, with a
//! pause after repeated wrong entries. Until staff set one, the PIN is
//! [`DEFAULT_PIN`] and the staff screen asks for a change.

use std::num::NonZeroU32;
use std::time::{Duration, Instant};

use rand::RngCore;
use ring::pbkdf2;

/// The PIN of a new kiosk (printed in the README); staff are asked to change it.
pub const DEFAULT_PIN: &str = "1234";
/// Shortest and longest PIN staff may set.
pub const MIN_LEN: usize = 4;
pub const MAX_LEN: usize = 8;
/// Wrong entries in a row before the pause.
pub const MAX_TRIES: u32 = 5;
/// How long entry is refused after too many wrong PINs.
pub const LOCKOUT: Duration = Duration::from_secs(60);

const ITERATIONS: u32 = 60_000;
const ALGORITHM: pbkdf2::Algorithm = pbkdf2::PBKDF2_HMAC_SHA256;
const PREFIX: &str = "pbkdf2-sha256";

/// A new hash of `pin`: `pbkdf2-sha256$<iterations>$<salt hex>$<hash hex>`.
pub fn hash(pin: &str) -> String {
    let mut salt = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut salt);
    let mut out = [0u8; 32];
    pbkdf2::derive(
        ALGORITHM,
        iterations(ITERATIONS),
        &salt,
        pin.as_bytes(),
        &mut out,
    );
    format!("{PREFIX}${ITERATIONS}${}${}", hex(&salt), hex(&out))
}

/// Whether `pin` matches `stored` (empty `stored`: the default PIN).
pub fn verify(pin: &str, stored: &str) -> bool {
    if stored.trim().is_empty() {
        return constant_time_eq(pin.as_bytes(), DEFAULT_PIN.as_bytes());
    }
    let mut parts = stored.trim().split('$');
    let (Some(PREFIX), Some(n), Some(salt), Some(expected), None) = (
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
        parts.next(),
    ) else {
        // A damaged hash never opens the staff screen; the README tells staff
        // to clear the field to return to the default PIN.
        return false;
    };
    let (Ok(n), Some(salt), Some(expected)) = (n.parse::<u32>(), unhex(salt), unhex(expected))
    else {
        return false;
    };
    pbkdf2::verify(ALGORITHM, iterations(n), &salt, pin.as_bytes(), &expected).is_ok()
}

/// Whether `pin` may be set: digits only, [`MIN_LEN`] to [`MAX_LEN`] long.
pub fn is_acceptable(pin: &str) -> bool {
    (MIN_LEN..=MAX_LEN).contains(&pin.len()) && pin.bytes().all(|b| b.is_ascii_digit())
}

/// Whether the PIN is still the default one.
pub fn is_default(stored: &str) -> bool {
    stored.trim().is_empty()
}

fn iterations(n: u32) -> NonZeroU32 {
    NonZeroU32::new(n).unwrap_or(NonZeroU32::MIN)
}

fn constant_time_eq(a: &[u8], b: &[u8]) -> bool {
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

fn unhex(text: &str) -> Option<Vec<u8>> {
    if !text.len().is_multiple_of(2) || text.len() > 128 {
        return None;
    }
    (0..text.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(text.get(i..i + 2)?, 16).ok())
        .collect()
}

/// Wrong-PIN counting: after [`MAX_TRIES`] wrong entries, entry pauses for [`LOCKOUT`].
#[derive(Debug, Clone, Default)]
pub struct Attempts {
    wrong: u32,
    locked_until: Option<Instant>,
}

impl Attempts {
    /// Seconds left in a pause, if entry is paused at `now`.
    pub fn locked_for(&self, now: Instant) -> Option<u64> {
        self.locked_until
            .filter(|until| *until > now)
            .map(|until| (until - now).as_secs().max(1))
    }

    /// Records the outcome of one entry.
    pub fn record(&mut self, ok: bool, now: Instant) {
        if ok {
            *self = Self::default();
        } else {
            self.wrong += 1;
            if self.wrong >= MAX_TRIES {
                self.wrong = 0;
                self.locked_until = Some(now + LOCKOUT);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hash_verifies_its_pin_only() {
        let h = hash("482913");
        assert!(h.starts_with("pbkdf2-sha256$60000$"));
        assert!(verify("482913", &h));
        assert!(!verify("482914", &h));
        assert!(!verify("", &h));
        // Salted: the same PIN hashes differently each time.
        assert_ne!(h, hash("482913"));
    }

    #[test]
    fn the_default_pin_works_until_one_is_set() {
        assert!(verify(DEFAULT_PIN, ""));
        assert!(!verify("0000", ""));
        assert!(is_default(""));
        assert!(!verify(DEFAULT_PIN, &hash("5555")));
    }

    #[test]
    fn damaged_hashes_open_nothing() {
        for bad in [
            "garbage",
            "pbkdf2-sha256$x$00$00",
            "pbkdf2-sha256$1000$zz$00",
            "pbkdf2-sha256$1000$00",
            "md5$1$00$00",
            "pbkdf2-sha256$0$00$00$extra",
        ] {
            assert!(!verify(DEFAULT_PIN, bad), "{bad}");
        }
    }

    #[test]
    fn only_digit_pins_of_sensible_length() {
        assert!(is_acceptable("1234") && is_acceptable("12345678"));
        assert!(!is_acceptable("123") && !is_acceptable("123456789"));
        assert!(!is_acceptable("12a4") && !is_acceptable("１２３４"));
    }

    #[test]
    fn five_wrong_pins_pause_entry() {
        let t0 = Instant::now();
        let mut a = Attempts::default();
        for _ in 0..4 {
            a.record(false, t0);
        }
        assert_eq!(a.locked_for(t0), None);
        a.record(false, t0);
        assert_eq!(a.locked_for(t0), Some(60));
        assert_eq!(a.locked_for(t0 + LOCKOUT), None);
        a.record(true, t0 + LOCKOUT);
        assert_eq!(a.locked_for(t0 + LOCKOUT), None);
    }
}
