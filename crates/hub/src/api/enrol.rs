//! `POST /api/v1/enrol`: a new kiosk trades an enrolment code's secret for
//! its kiosk id and token. No token is asked for (the kiosk has none yet):
//! the secret is the credential, 160 random bits, good once.

use crate::json_problem::json_problem;
use axum::body::Body;
use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{ApiError, AppState, check_protocol, read_body, refuse};
use crate::audit::Action;
use crate::enrolment::{self, Refusal};
use checkpoint_wire::{EnrolAnswer, EnrolRequest};

const MAX_BODY: usize = 4 * 1024;

pub async fn enrol(State(state): State<AppState>, headers: HeaderMap, body: Body) -> Response {
    match handle(&state, &headers, body).await {
        Ok(r) => r,
        Err(e) => e.into_response(),
    }
}

async fn handle(state: &AppState, headers: &HeaderMap, body: Body) -> Result<Response, ApiError> {
    check_protocol(headers)?;
    let raw = read_body(headers, body, MAX_BODY).await?;
    let request: EnrolRequest = serde_json::from_slice(&raw)
        .map_err(|e| refuse(StatusCode::BAD_REQUEST, "malformed-json", json_problem(&e)))?;
    let unavailable = |e: crate::HubError| {
        refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            e.to_string(),
        )
    };
    let redeemed = match enrolment::redeem(&state.db, &request.secret)
        .await
        .map_err(unavailable)?
    {
        Ok(r) => r,
        Err(refusal) => {
            let status = match refusal {
                Refusal::Unknown => StatusCode::NOT_FOUND,
                Refusal::Used | Refusal::Expired | Refusal::Revoked => StatusCode::GONE,
            };
            return Err(refuse(status, refusal.code(), detail(refusal)));
        }
    };
    let previous: String = request
        .previous_kiosk_id
        .chars()
        .filter(|c| c.is_ascii_graphic())
        .take(64)
        .collect();
    enrolment::audit(
        &state.db,
        Action::KioskEnrolled,
        &redeemed.kiosk_id,
        &format!(
            "checkpoint {}; was {previous:?}; version {:?}",
            redeemed.checkpoint_id,
            request.version.chars().take(40).collect::<String>()
        ),
    )
    .await;
    if !request.ckd_public_key.is_empty()
        && !crate::fleet::add_kiosk_key(&state.db, &redeemed.kiosk_id, &request.ckd_public_key)
            .await
            .map_err(unavailable)?
    {
        tracing::info!(kiosk = %redeemed.kiosk_id, "enrolled without a usable saved-declaration key");
    }
    let name = state
        .db
        .checkpoint_name(&redeemed.checkpoint_id)
        .await
        .ok()
        .flatten()
        .unwrap_or_default();
    Ok(axum::Json(EnrolAnswer {
        kiosk_id: redeemed.kiosk_id,
        token: redeemed.token,
        checkpoint_id: redeemed.checkpoint_id,
        checkpoint_name: name,
        hub_key: state
            .signing_key
            .as_ref()
            .map(|k| checkpoint_domain::fleet::key_text(&k.verifying_key()))
            .unwrap_or_default(),
    })
    .into_response())
}

fn detail(refusal: Refusal) -> &'static str {
    match refusal {
        Refusal::Unknown => "no such enrolment code",
        Refusal::Used => "this enrolment code was used already",
        Refusal::Expired => "this enrolment code has expired",
        Refusal::Revoked => "this enrolment code was revoked",
    }
}
