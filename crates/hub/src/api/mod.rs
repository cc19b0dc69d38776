//! The HTTP API: `POST /api/v1/records`, `POST /api/v1/heartbeat`,
//! `GET /api/v1/info`, `GET /healthz`. Every refusal is a
//! JSON [`ErrorBody`] with a clear 4xx status; nothing a client sends can
//! stop the hub from serving the others.

use crate::json_problem::json_problem;
use std::sync::Arc;

use axum::Router;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use chrono::Utc;
use futures::StreamExt;

mod enrol;
mod fleet;
mod heartbeat;

use super::db::{HubDb, NewRecord};
use super::faults::Faults;
use super::incoming::{IncomingBatch, check_records};
use super::{Limits, auth};
use checkpoint_wire::{
    BatchAnswer, ErrorBody, Feature, HEALTH_PATH, HEARTBEAT_PATH, HubInfo, INFO_PATH, Outcome,
    PROTOCOL_HEADER, PROTOCOL_VERSION, RECORDS_PATH, RecordKind, Rejection, gunzip_limited, gzip,
};

#[derive(Debug, Clone)]
pub struct AppState {
    pub db: HubDb,
    pub limits: Limits,
    pub faults: Arc<Faults>,
    /// The record kinds this hub stores (all of this build's, unless told).
    pub accepted: Arc<[RecordKind]>,
    /// Signs the fleet's configuration; `None`: none is served.
    pub signing_key: Option<Arc<ed25519_dalek::SigningKey>>,
    /// The certificates kiosks may meet, announced in the fleet's configuration.
    pub tls_pins: Arc<[String]>,
    /// The phone page's public address (`--phone-url`).
    pub phone_url: Option<String>,
}

pub fn router(state: AppState) -> Router {
    Router::new()
        .route(RECORDS_PATH, post(records))
        .route(HEALTH_PATH, get(healthz))
        .route(INFO_PATH, get(info))
        .route(HEARTBEAT_PATH, post(heartbeat::heartbeat))
        .route(checkpoint_wire::ENROL_PATH, post(enrol::enrol))
        .route(checkpoint_wire::FLEET_PATH, get(fleet::fleet))
        .with_state(state)
}

/// A refusal: status + `{"error": code, "detail": …}`.
#[derive(Debug)]
pub struct ApiError {
    status: StatusCode,
    code: &'static str,
    detail: String,
}

fn refuse(status: StatusCode, code: &'static str, detail: impl Into<String>) -> ApiError {
    ApiError {
        status,
        code,
        detail: detail.into(),
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            tracing::error!(code = self.code, detail = %self.detail, "hub error");
        } else {
            tracing::info!(status = %self.status, code = self.code, detail = %self.detail, "request refused");
        }
        let body = ErrorBody {
            error: self.code.to_owned(),
            detail: self.detail,
        };
        let mut response = (self.status, axum::Json(body)).into_response();
        if self.status == StatusCode::UNAUTHORIZED {
            response
                .headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        if self.status == StatusCode::SERVICE_UNAVAILABLE {
            response
                .headers_mut()
                .insert(header::RETRY_AFTER, HeaderValue::from_static("1"));
        }
        response
    }
}

async fn healthz(State(state): State<AppState>) -> Response {
    match state.db.ping().await {
        Ok(()) => axum::Json(serde_json::json!({"status": "ok", "protocol": PROTOCOL_VERSION}))
            .into_response(),
        Err(e) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            e.to_string(),
        )
        .into_response(),
    }
}

/// What this hub accepts; public, like the health check (it names no data).
async fn info(State(state): State<AppState>) -> Response {
    let features: Vec<Feature> = Feature::ALL
        .into_iter()
        .filter(|f| *f != Feature::Fleet || state.signing_key.is_some())
        .collect();
    axum::Json(HubInfo::new(&state.accepted).with_features(&features)).into_response()
}

async fn records(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match handle_records(&state, &headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle_records(
    state: &AppState,
    headers: &HeaderMap,
    body: Body,
) -> Result<Response, ApiError> {
    // Who is asking first: a request without a token learns nothing else.
    let kiosk_id = authenticate(&state.db, headers).await?;
    check_protocol(headers)?;
    if let Some(code) = state.faults.take_failure() {
        let status = StatusCode::from_u16(code).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        return Err(refuse(
            status,
            "injected-fault",
            "fault injected for a test",
        ));
    }
    let limits = state.limits.clone();
    let raw = read_body(headers, body, limits.max_body_bytes).await?;
    let gzipped = content_encoding(headers)?;
    let parse = tokio::task::spawn_blocking(move || parse_batch(&raw, gzipped, &limits));
    let batch = parse
        .await
        .map_err(|e| refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string()))??;
    if batch.kiosk_id != kiosk_id {
        return Err(refuse(
            StatusCode::FORBIDDEN,
            "kiosk-mismatch",
            format!("this token belongs to kiosk {kiosk_id:?}"),
        ));
    }
    let received = Utc::now();
    let clock_skew_ms = (received - batch.sent_at).num_milliseconds();
    let max_record = state.limits.max_record_bytes;
    let rules = crate::incoming::Rules {
        kiosk_id: &kiosk_id,
        max_bytes: max_record,
        latest: chrono::Utc::now() + state.limits.max_ahead,
    };
    let mut checked = check_records(&batch.records.items, &rules)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, "malformed-json", json_problem(&e)))?;
    refuse_unaccepted_kinds(&mut checked.valid, &mut checked.rejected, &state.accepted);
    let mut results = vec![Outcome::Rejected; batch.records.items.len()];
    for &i in &checked.repeats {
        results[i] = Outcome::Duplicate;
    }
    if let Some(delay) = state.faults.store_delay() {
        tokio::time::sleep(delay).await;
    }
    let (positions, new): (Vec<usize>, Vec<_>) = checked.valid.into_iter().unzip();
    let inserted = state.db.insert(&kiosk_id, new).await.map_err(|e| {
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            e.to_string(),
        )
    })?;
    for (i, fresh) in positions.into_iter().zip(inserted) {
        results[i] = if fresh {
            Outcome::Stored
        } else {
            Outcome::Duplicate
        };
    }
    if state.faults.after_store() {
        // The classic duplicate maker: stored, but the answer never arrives.
        std::future::pending::<()>().await;
    }
    let answer = BatchAnswer {
        protocol: PROTOCOL_VERSION,
        server_time: Utc::now(),
        clock_skew_ms,
        results,
        rejected: checked.rejected,
    };
    Ok(answer_response(&answer, accepts_gzip(headers)))
}

/// A kiosk should send only the kinds that `/api/v1/info` lists; one that
/// sends another anyway gets it refused for good, by position.
fn refuse_unaccepted_kinds(
    valid: &mut Vec<(usize, NewRecord)>,
    rejected: &mut Vec<Rejection>,
    accepted: &[RecordKind],
) {
    valid.retain(|(index, record)| {
        let ok = accepted.contains(&record.kind);
        if !ok {
            rejected.push(Rejection {
                index: *index,
                reason: "unsupported-kind".to_owned(),
                detail: format!("this hub does not store {} records", record.kind.as_str()),
            });
        }
        ok
    });
    rejected.sort_by_key(|r| r.index);
}

fn check_protocol(headers: &HeaderMap) -> Result<(), ApiError> {
    let Some(value) = headers.get(PROTOCOL_HEADER) else {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "missing-protocol",
            format!("send the {PROTOCOL_HEADER} header (this hub speaks {PROTOCOL_VERSION})"),
        ));
    };
    match value
        .to_str()
        .ok()
        .and_then(|v| v.trim().parse::<u32>().ok())
    {
        Some(PROTOCOL_VERSION) => Ok(()),
        _ => Err(refuse(
            StatusCode::BAD_REQUEST,
            "unsupported-protocol",
            format!("protocol {value:?} is not supported; this hub speaks {PROTOCOL_VERSION}"),
        )),
    }
}

/// The kiosk the bearer token belongs to.
async fn authenticate(db: &HubDb, headers: &HeaderMap) -> Result<String, ApiError> {
    let token = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(auth::bearer)
        .ok_or_else(|| {
            refuse(
                StatusCode::UNAUTHORIZED,
                "missing-token",
                "send Authorization: Bearer <token>",
            )
        })?;
    let info = db
        .token(&auth::hash_token(token))
        .await
        .map_err(|e| {
            refuse(
                StatusCode::SERVICE_UNAVAILABLE,
                "store-unavailable",
                e.to_string(),
            )
        })?
        .ok_or_else(|| refuse(StatusCode::UNAUTHORIZED, "invalid-token", "unknown token"))?;
    if info.revoked_at.is_some() {
        return Err(refuse(
            StatusCode::UNAUTHORIZED,
            "token-revoked",
            "this token was revoked",
        ));
    }
    Ok(info.kiosk_id)
}

fn content_encoding(headers: &HeaderMap) -> Result<bool, ApiError> {
    match headers
        .get(header::CONTENT_ENCODING)
        .map(|v| v.to_str().map(str::trim))
    {
        None => Ok(false),
        Some(Ok(e)) if e.eq_ignore_ascii_case("gzip") => Ok(true),
        Some(Ok(e)) if e.eq_ignore_ascii_case("identity") => Ok(false),
        Some(_) => Err(refuse(
            StatusCode::UNSUPPORTED_MEDIA_TYPE,
            "unsupported-encoding",
            "use Content-Encoding: gzip",
        )),
    }
}

async fn read_body(headers: &HeaderMap, body: Body, limit: usize) -> Result<Vec<u8>, ApiError> {
    let too_large = || {
        refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "body-too-large",
            format!("request bodies are limited to {limit} bytes"),
        )
    };
    let declared = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    let mut stream = body.into_data_stream();
    if declared.is_some_and(|n| n > limit as u64) {
        tokio::spawn(drain(stream));
        return Err(too_large());
    }
    let mut buf = Vec::with_capacity(declared.map_or(64 * 1024, |n| n as usize));
    while let Some(chunk) = stream.next().await {
        let chunk =
            chunk.map_err(|e| refuse(StatusCode::BAD_REQUEST, "body-unreadable", e.to_string()))?;
        if buf.len() + chunk.len() > limit {
            tokio::spawn(drain(stream));
            return Err(too_large());
        }
        buf.extend_from_slice(&chunk);
    }
    Ok(buf)
}

/// Reads and discards the rest of a refused body for a while, so the client
/// (still sending) gets to read the 413 instead of a connection reset.
async fn drain(mut stream: axum::body::BodyDataStream) {
    const MAX_DRAIN: usize = 256 * 1024 * 1024;
    let discard = async {
        let mut seen = 0usize;
        while let Some(Ok(chunk)) = stream.next().await {
            seen += chunk.len();
            if seen > MAX_DRAIN {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(std::time::Duration::from_secs(10), discard).await;
}

fn parse_batch(raw: &[u8], gzipped: bool, limits: &Limits) -> Result<IncomingBatch, ApiError> {
    let expanded;
    let json = if gzipped {
        expanded = gunzip_limited(raw, limits.max_expanded_bytes).map_err(|e| match e {
            checkpoint_wire::InflateError::TooLarge { .. } => refuse(
                StatusCode::PAYLOAD_TOO_LARGE,
                "body-too-large",
                format!("expanded body exceeds {} bytes", limits.max_expanded_bytes),
            ),
            checkpoint_wire::InflateError::Corrupt(e) => {
                refuse(StatusCode::BAD_REQUEST, "bad-gzip", e.to_string())
            }
        })?;
        &expanded[..]
    } else {
        raw
    };
    let batch: IncomingBatch = serde_json::from_slice(json)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, "malformed-json", json_problem(&e)))?;
    if batch.protocol != PROTOCOL_VERSION {
        return Err(refuse(
            StatusCode::BAD_REQUEST,
            "unsupported-protocol",
            format!(
                "protocol {} is not supported; this hub speaks {PROTOCOL_VERSION}",
                batch.protocol
            ),
        ));
    }
    if batch.records.total > limits.max_records {
        return Err(refuse(
            StatusCode::PAYLOAD_TOO_LARGE,
            "too-many-records",
            format!(
                "{} records in one batch; the limit is {}",
                batch.records.total, limits.max_records
            ),
        ));
    }
    Ok(batch)
}

fn accepts_gzip(headers: &HeaderMap) -> bool {
    headers
        .get(header::ACCEPT_ENCODING)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|e| e.trim().starts_with("gzip")))
}

fn answer_response(answer: &BatchAnswer, gzip_ok: bool) -> Response {
    let json = match serde_json::to_vec(answer) {
        Ok(j) => j,
        Err(e) => {
            return refuse(StatusCode::INTERNAL_SERVER_ERROR, "internal", e.to_string())
                .into_response();
        }
    };
    let ct = (
        header::CONTENT_TYPE,
        HeaderValue::from_static("application/json"),
    );
    match gzip_ok.then(|| gzip(&json)) {
        Some(Ok(z)) => (
            [
                ct,
                (header::CONTENT_ENCODING, HeaderValue::from_static("gzip")),
            ],
            z,
        )
            .into_response(),
        _ => ([ct], json).into_response(),
    }
}
