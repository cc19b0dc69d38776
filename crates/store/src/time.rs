//! Times in the database: UTC, RFC 3339 with milliseconds and `Z`, so text
//! order is time order.

use chrono::{DateTime, SecondsFormat, Utc};

pub fn format(t: DateTime<Utc>) -> String {
    t.to_rfc3339_opts(SecondsFormat::Millis, true)
}

pub fn parse(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text)
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_order_is_time_order() {
        let a = parse("2025-03-01T09:59:59.999+07:00").unwrap();
        let b = parse("2025-03-01T03:00:00Z").unwrap();
        assert!(a < b);
        assert!(format(a) < format(b));
        assert_eq!(format(a), "2025-03-01T02:59:59.999Z");
        assert_eq!(parse(&format(a)), Some(a));
    }
}
