//! One request to the hub: a batch out, the per-record answer back.

use std::time::Duration;

use chrono::Utc;
use reqwest::StatusCode;
use reqwest::header::{
    ACCEPT_ENCODING, AUTHORIZATION, CONTENT_ENCODING, CONTENT_TYPE, HeaderValue, RETRY_AFTER,
};

use super::queue::OutgoingRecord;
use super::{SyncConfig, SyncError, tls};
use checkpoint_wire::{
    BatchAnswer, BatchRequest, ErrorBody, HEARTBEAT_PATH, Heartbeat, HeartbeatAnswer, HubInfo,
    INFO_PATH, PROTOCOL_HEADER, PROTOCOL_VERSION, RECORDS_PATH, gunzip_limited, gzip,
};

/// An answer larger than this is not a real answer (a batch of 100,000 records
/// answers in about 1 MB uncompressed).
const MAX_ANSWER_BYTES: usize = 32 * 1024 * 1024;

/// Bytes that crossed the HTTP layer for one batch (bodies, compressed).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WireBytes {
    pub request_body: usize,
    pub answer_body: usize,
}

/// A configured connection to one hub.
#[derive(Debug, Clone)]
pub struct HubClient {
    http: reqwest::Client,
    records_url: reqwest::Url,
    info_url: reqwest::Url,
    heartbeat_url: reqwest::Url,
    auth: HeaderValue,
    timeout_secs: u64,
}

impl HubClient {
    /// Checks the configuration and builds the HTTP client (TLS trust included).
    pub fn new(config: &SyncConfig) -> Result<Self, SyncError> {
        if !config.is_enabled() {
            return Err(SyncError::NotConfigured);
        }
        let server = config.server.trim();
        let base = reqwest::Url::parse(server)
            .map_err(|e| SyncError::BadUrl(server.to_owned(), e.to_string()))?;
        match base.scheme() {
            "https" => {}
            "http" if config.allow_plain_http => {}
            "http" => return Err(SyncError::PlainHttp(server.to_owned())),
            other => {
                return Err(SyncError::BadUrl(
                    server.to_owned(),
                    format!("unsupported scheme {other}"),
                ));
            }
        }
        let records_url = base
            .join(RECORDS_PATH)
            .map_err(|e| SyncError::BadUrl(server.to_owned(), e.to_string()))?;
        let info_url = base
            .join(INFO_PATH)
            .map_err(|e| SyncError::BadUrl(server.to_owned(), e.to_string()))?;
        let heartbeat_url = base
            .join(HEARTBEAT_PATH)
            .map_err(|e| SyncError::BadUrl(server.to_owned(), e.to_string()))?;
        let mut auth = HeaderValue::from_str(&format!("Bearer {}", config.token.trim()))
            .map_err(|e| SyncError::Client(format!("token: {e}")))?;
        auth.set_sensitive(true);
        let builder = reqwest::Client::builder()
            .connect_timeout(Duration::from_secs(config.connect_timeout_secs.max(1)))
            .timeout(Duration::from_secs(config.request_timeout_secs.max(1)))
            .pool_idle_timeout(Duration::from_secs(30))
            .http1_only()
            // Records go to the configured hub only, never through an unconfigured proxy.
            .no_proxy();
        let http = tls::configure(builder, config)?
            .build()
            .map_err(|e| SyncError::Client(error_chain(&e)))?;
        Ok(Self {
            http,
            records_url,
            info_url,
            heartbeat_url,
            auth,
            timeout_secs: config.request_timeout_secs.max(1),
        })
    }

    /// What the hub accepts (`GET /api/v1/info`). A hub that has no such
    /// endpoint (404) is an early protocol-1 hub: [`HubInfo::protocol_1`].
    pub async fn info(&self) -> Result<HubInfo, SyncError> {
        let response = self
            .http
            .get(self.info_url.clone())
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        if status == StatusCode::NOT_FOUND {
            return Ok(HubInfo::protocol_1());
        }
        let text = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if !status.is_success() {
            return Err(status_error(status, &text, None));
        }
        serde_json::from_slice(&text).map_err(|e| SyncError::BadAnswer(format!("info: {e}")))
    }

    /// Sends one batch and returns the hub's answer, checked for shape.
    pub async fn send(
        &self,
        kiosk_id: &str,
        records: &[OutgoingRecord],
    ) -> Result<(BatchAnswer, WireBytes), SyncError> {
        let request = BatchRequest {
            protocol: PROTOCOL_VERSION,
            kiosk_id,
            sent_at: Utc::now(),
            records,
        };
        let json = serde_json::to_vec(&request).map_err(|e| SyncError::Client(e.to_string()))?;
        let body = gzip(&json).map_err(|e| SyncError::Client(e.to_string()))?;
        let mut wire = WireBytes {
            request_body: body.len(),
            answer_body: 0,
        };
        let response = self
            .http
            .post(self.records_url.clone())
            .header(AUTHORIZATION, self.auth.clone())
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .header(CONTENT_TYPE, "application/json")
            .header(CONTENT_ENCODING, "gzip")
            .header(ACCEPT_ENCODING, "gzip")
            .body(body)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let gzipped = response
            .headers()
            .get(CONTENT_ENCODING)
            .is_some_and(|v| v.as_bytes().eq_ignore_ascii_case(b"gzip"));
        let retry_after = response
            .headers()
            .get(RETRY_AFTER)
            .and_then(|v| v.to_str().ok())
            .and_then(|v| v.trim().parse::<u64>().ok());
        let raw = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        wire.answer_body = raw.len();
        let text = if gzipped {
            gunzip_limited(&raw, MAX_ANSWER_BYTES)
                .map_err(|e| SyncError::BadAnswer(e.to_string()))?
        } else {
            raw.to_vec()
        };
        if !status.is_success() {
            return Err(status_error(status, &text, retry_after));
        }
        let answer: BatchAnswer =
            serde_json::from_slice(&text).map_err(|e| SyncError::BadAnswer(e.to_string()))?;
        check_answer(&answer, records.len())?;
        Ok((answer, wire))
    }

    /// Sends the kiosk's heartbeat (to a hub that offers it).
    pub async fn heartbeat(&self, beat: &Heartbeat) -> Result<HeartbeatAnswer, SyncError> {
        let request = self
            .http
            .post(self.heartbeat_url.clone())
            .header(AUTHORIZATION, self.auth.clone());
        self.exchange(request, Some(beat), "heartbeat").await
    }

    /// The fleet's configuration as the hub signed it (`GET /api/v1/fleet`).
    pub async fn fleet(&self) -> Result<checkpoint_wire::SignedFleet, SyncError> {
        let request = self
            .http
            .get(self.url(checkpoint_wire::FLEET_PATH)?)
            .header(AUTHORIZATION, self.auth.clone());
        self.exchange(request, None::<&()>, "fleet").await
    }

    /// Trades an enrolment code's secret for this kiosk's id and token
    /// (`POST /api/v1/enrol`; no token is sent, the kiosk has none yet).
    pub async fn enrol(
        &self,
        request: &checkpoint_wire::EnrolRequest,
    ) -> Result<checkpoint_wire::EnrolAnswer, SyncError> {
        let post = self.http.post(self.url(checkpoint_wire::ENROL_PATH)?);
        self.exchange(post, Some(request), "enrol").await
    }

    /// A page of the hub's phone pages (`GET`, the poster and its
    /// stylesheet), as text; `query` is added encoded.
    pub async fn page(&self, path: &str, query: &[(&str, &str)]) -> Result<String, SyncError> {
        /// The poster is about 10 KB; a page larger than this is not one.
        const MAX_PAGE_BYTES: usize = 1024 * 1024;
        let mut url = self.url(path)?;
        if !query.is_empty() {
            url.query_pairs_mut().extend_pairs(query);
        }
        let response = self
            .http
            .get(url)
            .header(PROTOCOL_HEADER, PROTOCOL_VERSION)
            .send()
            .await
            .map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let too_large = |n| SyncError::BadAnswer(format!("{path}: {n} bytes"));
        if let Some(n) = response
            .content_length()
            .filter(|&n| n > MAX_PAGE_BYTES as u64)
        {
            return Err(too_large(n as usize));
        }
        let text = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if !status.is_success() {
            return Err(status_error(status, &text, None));
        }
        if text.len() > MAX_PAGE_BYTES {
            return Err(too_large(text.len()));
        }
        String::from_utf8(text.to_vec()).map_err(|e| SyncError::BadAnswer(format!("{path}: {e}")))
    }

    fn url(&self, path: &str) -> Result<reqwest::Url, SyncError> {
        self.records_url
            .join(path)
            .map_err(|e| SyncError::Client(e.to_string()))
    }

    /// One small JSON request (`body`, if any) and its JSON answer; an error
    /// answer becomes the matching [`SyncError`]. `what` names it in errors.
    async fn exchange<B: serde::Serialize, A: serde::de::DeserializeOwned>(
        &self,
        request: reqwest::RequestBuilder,
        body: Option<&B>,
        what: &str,
    ) -> Result<A, SyncError> {
        let mut request = request.header(PROTOCOL_HEADER, PROTOCOL_VERSION);
        if let Some(body) = body {
            let json = serde_json::to_vec(body).map_err(|e| SyncError::Client(e.to_string()))?;
            request = request.header(CONTENT_TYPE, "application/json").body(json);
        }
        let response = request.send().await.map_err(|e| self.transport_error(&e))?;
        let status = response.status();
        let text = response
            .bytes()
            .await
            .map_err(|e| self.transport_error(&e))?;
        if !status.is_success() {
            return Err(status_error(status, &text, None));
        }
        serde_json::from_slice(&text).map_err(|e| SyncError::BadAnswer(format!("{what}: {e}")))
    }

    fn transport_error(&self, err: &reqwest::Error) -> SyncError {
        if err.is_timeout() {
            return SyncError::Timeout(self.timeout_secs);
        }
        let chain = error_chain(err);
        // Some layers box the rustls error so that it cannot be downcast:
        // its text ("invalid peer certificate: …") is the fallback.
        if is_certificate_problem(err) || chain.contains("invalid peer certificate") {
            SyncError::Tls(chain)
        } else {
            SyncError::Offline(chain)
        }
    }
}

fn check_answer(answer: &BatchAnswer, sent: usize) -> Result<(), SyncError> {
    if answer.protocol != PROTOCOL_VERSION {
        return Err(SyncError::BadAnswer(format!(
            "protocol {} instead of {PROTOCOL_VERSION}",
            answer.protocol
        )));
    }
    if answer.results.len() != sent {
        return Err(SyncError::BadAnswer(format!(
            "{} results for {sent} records",
            answer.results.len()
        )));
    }
    if let Some(r) = answer.rejected.iter().find(|r| r.index >= sent) {
        return Err(SyncError::BadAnswer(format!(
            "rejection index {} out of range",
            r.index
        )));
    }
    Ok(())
}

fn status_error(status: StatusCode, text: &[u8], retry_after: Option<u64>) -> SyncError {
    let body: Option<ErrorBody> = serde_json::from_slice(text).ok();
    let (code, detail) = body.map_or_else(
        || {
            let snippet = String::from_utf8_lossy(&text[..text.len().min(200)]).into_owned();
            (String::new(), snippet)
        },
        |b| (b.error, b.detail),
    );
    match status {
        StatusCode::UNAUTHORIZED | StatusCode::FORBIDDEN => {
            SyncError::Unauthorized { code, detail }
        }
        StatusCode::PAYLOAD_TOO_LARGE => SyncError::TooLarge(detail),
        s if s.is_server_error() || s == StatusCode::TOO_MANY_REQUESTS => SyncError::Server {
            status: s.as_u16(),
            detail,
            retry_after_secs: retry_after,
        },
        s => SyncError::Refused {
            status: s.as_u16(),
            code,
            detail,
        },
    }
}

/// The error and its causes on one line (reqwest hides the useful part in sources).
fn error_chain(err: &(dyn std::error::Error + 'static)) -> String {
    let mut text = err.to_string();
    let mut source = err.source();
    while let Some(s) = source {
        text.push_str(": ");
        text.push_str(&s.to_string());
        source = s.source();
    }
    text
}

fn is_certificate_problem(err: &(dyn std::error::Error + 'static)) -> bool {
    let mut source: Option<&(dyn std::error::Error + 'static)> = Some(err);
    while let Some(s) = source {
        // io::Error::source() skips the error it wraps: look inside it too.
        let inner = s
            .downcast_ref::<std::io::Error>()
            .and_then(|io| io.get_ref())
            .and_then(|e| e.downcast_ref::<rustls::Error>());
        if let Some(tls) = s.downcast_ref::<rustls::Error>().or(inner) {
            return matches!(
                tls,
                rustls::Error::InvalidCertificate(_) | rustls::Error::NoCertificatesPresented
            );
        }
        source = s.source();
    }
    false
}
