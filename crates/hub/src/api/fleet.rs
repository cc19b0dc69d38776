//! `GET /api/v1/fleet`: the fleet's configuration, signed now, for a kiosk
//! with a valid token (it names every kiosk's key and the trust list).

use axum::extract::State;
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};

use super::{AppState, authenticate, refuse};
use checkpoint_wire::SignedFleet;

pub async fn fleet(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if let Err(e) = authenticate(&state.db, &headers).await {
        return e.into_response();
    }
    let Some(key) = &state.signing_key else {
        return refuse(
            StatusCode::NOT_FOUND,
            "fleet-unavailable",
            "this hub serves no fleet configuration",
        )
        .into_response();
    };
    match crate::fleet::document(&state.db, key, &state.tls_pins, state.phone_url.as_deref()).await
    {
        Ok(doc) => {
            use checkpoint_domain::fleet::{SignatureForm, sign, sign_text};
            let (document, in_context) = sign(&doc, key, SignatureForm::InContext);
            // Both forms for one release: kiosks of the previous one check the other.
            let signature = sign_text(&document, key, SignatureForm::Legacy);
            axum::Json(SignedFleet {
                document,
                signature,
                signature_in_context: Some(in_context),
            })
            .into_response()
        }
        Err(e) => refuse(
            StatusCode::SERVICE_UNAVAILABLE,
            "store-unavailable",
            e.to_string(),
        )
        .into_response(),
    }
}
