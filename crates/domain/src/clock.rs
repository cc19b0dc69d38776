//! Vietnam's clock (UTC+7, no daylight saving since 1975): the time staff
//! and officers read, whatever zone the machine itself is set to (a hub
//! often runs on UTC).

use chrono::{FixedOffset, Offset as _, Utc};

pub fn vietnam() -> FixedOffset {
    match FixedOffset::east_opt(7 * 3600) {
        Some(offset) => offset,
        None => Utc.fix(),
    }
}
