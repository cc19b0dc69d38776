//! `POST /api/v1/heartbeat`: a kiosk's health and its hourly counts. The
//! same guards as a batch (protocol header, token, size, gzip), then each
//! field made safe rather than refused (a kiosk with a wrong clock still
//! reports its health): text cut to its limit, hours truncated to the hour,
//! hours more than an hour ahead of the hub's clock left out; at most
//! [`HEARTBEAT_MAX_HOURS`].

use crate::json_problem::json_problem;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use chrono::{DurationRound as _, TimeDelta, Utc};

use super::{
    ApiError, AppState, authenticate, check_protocol, content_encoding, read_body, refuse,
};
use checkpoint_wire::{
    HEARTBEAT_MAX_HOURS, HEARTBEAT_TEXT_MAX, Heartbeat, HeartbeatAnswer, PROTOCOL_VERSION,
    gunzip_limited,
};

/// A heartbeat is small: a few kilobytes with 72 hours.
const MAX_BODY: usize = 64 * 1024;
const MAX_EXPANDED: usize = 256 * 1024;

pub async fn heartbeat(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match handle(&state, &headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    // Who is asking first: a request without a token learns nothing else.
    let kiosk_id = authenticate(&state.db, headers).await?;
    check_protocol(headers)?;
    let raw = read_body(headers, body, MAX_BODY).await?;
    let json = if content_encoding(headers)? {
        gunzip_limited(&raw, MAX_EXPANDED)
            .map_err(|e| refuse(StatusCode::BAD_REQUEST, "bad-gzip", e.to_string()))?
    } else {
        raw
    };
    let beat: Heartbeat = serde_json::from_slice(&json)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, "malformed-json", json_problem(&e)))?;
    if beat.protocol != PROTOCOL_VERSION {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "unsupported-protocol",
            format!("this hub speaks protocol {PROTOCOL_VERSION}"),
        ));
    }
    if beat.kiosk_id != kiosk_id {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "kiosk-mismatch",
            format!("this token belongs to kiosk {kiosk_id:?}"),
        ));
    }
    let received = Utc::now();
    let beat = checked(beat, received)?;
    state
        .db
        .record_heartbeat(&kiosk_id, &beat, received)
        .await
        .map_err(|e| {
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                e.to_string(),
            )
        })?;
    // A kiosk configured by hand tells its saved-declaration key here.
    if let (Some(key), Some(_)) = (&beat.ckd_public_key, &state.signing_key)
        && let Err(e) = crate::fleet::add_kiosk_key(&state.db, &kiosk_id, key).await
    {
        tracing::warn!(error = %e, "a kiosk's key not kept for the fleet");
    }
    let answer = HeartbeatAnswer {
        server_time: received,
        clock_skew_ms: (received - beat.sent_at).num_milliseconds(),
    };
    Ok(axum::Json(answer).into_response())
}

/// The heartbeat as the hub keeps it, or why it is refused.
fn checked(mut beat: Heartbeat, now: chrono::DateTime<Utc>) -> Result<Heartbeat, ApiError> {
    if beat.hours.len() > HEARTBEAT_MAX_HOURS {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-many-hours",
            format!("at most {HEARTBEAT_MAX_HOURS} hours in one heartbeat"),
        ));
    }
    let ahead = beat.hours.len();
    beat.hours = beat
        .hours
        .into_iter()
        .filter_map(|mut h| {
            h.hour = h.hour.duration_trunc(TimeDelta::hours(1)).ok()?;
            (h.hour <= now + TimeDelta::hours(1)).then_some(h)
        })
        .collect();
    if beat.hours.len() < ahead {
        tracing::info!(
            kiosk = %beat.kiosk_id,
            left_out = ahead - beat.hours.len(),
            "heartbeat hours ahead of the hub's clock left out"
        );
    }
    for text in [
        &mut beat.software_version,
        &mut beat.camera,
        &mut beat.bluetooth,
    ] {
        cut(text);
    }
    if let Some(e) = beat.last_sync_error.as_mut() {
        cut(e);
    }
    // Only a well-formed public key is kept (the fleet hands it to every kiosk).
    beat.ckd_public_key = beat
        .ckd_public_key
        .and_then(|k| checkpoint_domain::fleet::parse_key(&k))
        .map(|k| checkpoint_domain::fleet::key_text(&k));
    Ok(beat)
}

fn cut(text: &mut String) {
    if let Some((i, _)) = text.char_indices().nth(HEARTBEAT_TEXT_MAX) {
        text.truncate(i);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use checkpoint_wire::HourCounts;

    fn beat(hours: Vec<HourCounts>) -> Heartbeat {
        Heartbeat {
            protocol: PROTOCOL_VERSION,
            kiosk_id: "K".into(),
            sent_at: Utc::now(),
            software_version: "v".repeat(500),
            queue_depth: 3,
            last_sync_error: Some("ổ".repeat(300)),
            camera: "working".into(),
            bluetooth: "off".into(),
            hours,
            ckd_public_key: Some("not a key".into()),
        }
    }

    fn hour(at: chrono::DateTime<Utc>) -> HourCounts {
        HourCounts {
            hour: at,
            checkins: 3,
            observed: 2,
            with_bluezone: 1,
            bluezone_seen: 4,
        }
    }

    #[test]
    fn text_is_cut_and_hours_made_safe() {
        let now = Utc::now();
        let top = now.duration_trunc(TimeDelta::hours(1)).unwrap();
        let ok = checked(
            beat(vec![
                hour(top - TimeDelta::hours(1)),
                hour(top + TimeDelta::minutes(5)),
                hour(top + TimeDelta::hours(5)),
            ]),
            now,
        )
        .unwrap();
        assert_eq!(
            ok.hours.iter().map(|h| h.hour).collect::<Vec<_>>(),
            [top - TimeDelta::hours(1), top],
            "truncated to the hour; five hours ahead left out"
        );
        assert_eq!(ok.software_version.chars().count(), HEARTBEAT_TEXT_MAX);
        assert_eq!(
            ok.last_sync_error.unwrap().chars().count(),
            HEARTBEAT_TEXT_MAX
        );
        assert_eq!(ok.ckd_public_key, None, "not a key: left out");
        let many = (0..73).map(|i| hour(top - TimeDelta::hours(i))).collect();
        assert!(checked(beat(many), now).is_err());
    }

    #[test]
    fn a_kiosks_key_is_kept_only_when_it_is_one() {
        let key = ed25519_dalek::SigningKey::from_bytes(&[9; 32]).verifying_key();
        let text = checkpoint_domain::fleet::key_text(&key);
        let mut b = beat(Vec::new());
        b.ckd_public_key = Some(format!("  {text}\n"));
        let ok = checked(b, Utc::now()).unwrap();
        assert_eq!(ok.ckd_public_key, Some(text));
    }
}
