//! The background worker: takes batches from the local queue, sends them, and
//! marks records synced only from the hub's answer. Any failure leaves the
//! records queued (`sent` records are offered again), so a crash, a lost
//! answer or a restart at any moment loses nothing and, because the hub is
//! idempotent by record id, duplicates nothing.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use chrono::{DateTime, Utc};
use tokio::sync::{Notify, watch};
use tokio::task::JoinHandle;
use uuid::Uuid;

use super::backoff::Backoff;
use super::client::{HubClient, WireBytes};
use super::heartbeat::{self, DeviceStates};
use super::queue::{QueueError, SyncQueue};
use super::status::{self, LastError, SyncStatus, WorkerState};
use super::{SyncConfig, SyncError};
use checkpoint_wire::{Feature, HubInfo, Outcome, RecordKind};

/// What one drain of the queue achieved.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct DrainReport {
    pub batches: u64,
    pub stored: u64,
    pub duplicate: u64,
    pub rejected: u64,
    pub wire: WireBytes,
}

pub struct Worker {
    queue: Arc<dyn SyncQueue>,
    client: HubClient,
    config: SyncConfig,
    kiosk_id: String,
    status_tx: watch::Sender<SyncStatus>,
    status_file: Option<PathBuf>,
    /// What the hub said it accepts, and when; asked again when old or after a failure.
    hub_info: Option<(HubInfo, Instant)>,
    /// The camera's and Bluetooth's state, for the heartbeat.
    devices: Arc<DeviceStates>,
    last_heartbeat: Option<Instant>,
    /// Where the fleet's configuration is kept (`None`: not fetched).
    fleet_file: Option<PathBuf>,
    last_fleet: Option<Instant>,
    /// When the newest fleet configuration announced was issued (see
    /// [`announce_fleet_to`](Self::announce_fleet_to)).
    fleet_tx: watch::Sender<Option<DateTime<Utc>>>,
    /// This kiosk's saved-declaration key, told to the hub in the heartbeat.
    ckd_public_key: Option<String>,
}

/// How long the hub's answer to `/api/v1/info` is trusted: a hub upgraded
/// meanwhile gets the kinds it newly accepts within this time.
const HUB_INFO_TTL: Duration = Duration::from_secs(600);

impl std::fmt::Debug for Worker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Worker")
            .field("kiosk_id", &self.kiosk_id)
            .finish_non_exhaustive()
    }
}

impl Worker {
    /// `kiosk_id` names the sender in each batch (empty: taken from the
    /// records); `status_file` keeps the status for other processes.
    pub fn new(
        queue: Arc<dyn SyncQueue>,
        config: &SyncConfig,
        kiosk_id: &str,
        status_file: Option<PathBuf>,
    ) -> Result<Self, SyncError> {
        let client = HubClient::new(config)?;
        let initial = status_file
            .as_deref()
            .and_then(status::load)
            .unwrap_or_default();
        let (status_tx, _) = watch::channel(SyncStatus {
            state: WorkerState::Idle,
            synced_since_start: 0,
            ..initial
        });
        Ok(Self {
            queue,
            client,
            config: config.clone(),
            kiosk_id: kiosk_id.to_owned(),
            status_tx,
            status_file,
            hub_info: None,
            devices: Arc::default(),
            last_heartbeat: None,
            fleet_file: None,
            last_fleet: None,
            fleet_tx: watch::channel(None).0,
            ckd_public_key: None,
        })
    }

    /// Reads the camera's and Bluetooth's state from `devices` (the window
    /// keeps it); without, the heartbeat says "unknown".
    pub fn with_devices(mut self, devices: Arc<DeviceStates>) -> Self {
        self.devices = devices;
        self
    }

    /// Fetches the fleet's configuration into `path` (see crate::fleet)
    /// when the kiosk knows its hub's key.
    /// `ckd_public_key`: this kiosk's saved-declaration key (base64; empty:
    /// none), which the hub hands to the fleet.
    pub fn with_fleet(mut self, path: PathBuf, ckd_public_key: String) -> Self {
        self.fleet_file = Some(path);
        self.ckd_public_key = Some(ckd_public_key).filter(|k| !k.is_empty());
        self
    }

    /// Tells `to` each newer fleet configuration kept (its issue time), so
    /// the window takes it at once without watching the file.
    pub fn announce_fleet_to(mut self, to: watch::Sender<Option<DateTime<Utc>>>) -> Self {
        self.fleet_tx = to;
        self
    }

    /// Fetches the fleet's configuration when one is due (as often as the
    /// heartbeat) and the hub offers it; `Ok(true)` when a newer one was
    /// kept. A refused one is logged and the last good one stays.
    pub async fn fleet_if_due(&mut self) -> Result<bool, String> {
        let (Some(path), Some(key)) = (
            self.fleet_file.clone(),
            self.config.hub_key.clone().filter(|k| !k.is_empty()),
        ) else {
            return Ok(false);
        };
        let every = Duration::from_secs(self.config.heartbeat_interval_secs.max(1));
        if self.last_fleet.is_some_and(|t| t.elapsed() < every) {
            return Ok(false);
        }
        let offered = self
            .hub_info
            .as_ref()
            .is_some_and(|(info, _)| info.has(Feature::Fleet));
        if !offered {
            return Ok(false);
        }
        self.last_fleet = Some(Instant::now());
        let signed = self.client.fleet().await.map_err(|e| e.to_string())?;
        let kept = blocking(move || {
            crate::fleet::accept(&path, &signed, &key).map_err(|e| QueueError(e.to_string()))
        })
        .await
        .map_err(|e| e.to_string())?;
        // The file's may be newer than this worker knew even when the hub's
        // was not (another process kept it): announced all the same.
        let key = self.config.hub_key.clone();
        let in_use = crate::fleet::load(&path_of(&self.fleet_file), key.as_deref());
        if let Ok(Some(in_use)) = &in_use {
            let issued = in_use.document.issued_at;
            self.fleet_tx.send_if_modified(|last| {
                let newer = last.is_none_or(|l| l < issued);
                if newer {
                    *last = Some(issued);
                }
                newer
            });
        }
        if kept {
            tracing::info!("a newer fleet configuration from the hub is kept");
            // Certificates it announces are trusted from the next request on.
            if let Ok(Some(in_use)) = in_use {
                self.config.fleet_pins = in_use.document.tls_pins;
                match HubClient::new(&self.config) {
                    Ok(client) => self.client = client,
                    Err(e) => {
                        tracing::warn!(error = %e, "the hub's new certificates are not usable")
                    }
                }
            }
        }
        Ok(kept)
    }

    /// Sends a heartbeat when one is due and the hub offers it; `true` when
    /// one was sent. A failure is logged and never stops the records.
    pub async fn heartbeat_if_due(&mut self) -> bool {
        let every = Duration::from_secs(self.config.heartbeat_interval_secs.max(1));
        if self.last_heartbeat.is_some_and(|t| t.elapsed() < every) {
            return false;
        }
        let offered = self
            .hub_info
            .as_ref()
            .is_some_and(|(info, _)| info.has(Feature::Heartbeat));
        if !offered || self.kiosk_id.is_empty() {
            return false;
        }
        let now = Utc::now();
        let queue = self.queue.clone();
        let hours = match blocking(move || queue.recent_hours(heartbeat::hours_since(now))).await {
            Ok(h) => h,
            Err(err) => {
                tracing::warn!(error = %err, "hourly counts unavailable for the heartbeat");
                Vec::new()
            }
        };
        let kiosk_id = self.kiosk_id.clone();
        let beat = heartbeat::heartbeat(
            &kiosk_id,
            &self.status_tx.borrow(),
            &self.devices,
            hours,
            self.ckd_public_key.clone(),
            now,
        );
        self.last_heartbeat = Some(Instant::now());
        match self.client.heartbeat(&beat).await {
            Ok(_) => true,
            Err(err) => {
                tracing::info!(error = %err, "heartbeat not sent");
                false
            }
        }
    }

    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status_tx.subscribe()
    }

    /// Sends batches until nothing is pending. Stops at the first failure
    /// (recorded in the status and on the records) and returns it.
    pub async fn drain(&mut self) -> Result<DrainReport, SyncError> {
        let mut report = DrainReport::default();
        let mut max_records = self.config.batch_max_records.max(1);
        let max_bytes = self.config.batch_max_bytes.max(1);
        self.refresh_counts().await;
        let kinds = self.accepted_kinds().await;
        loop {
            let queue = self.queue.clone();
            let wanted = kinds.clone();
            let batch =
                blocking(move || queue.pending_batch(max_records, max_bytes, &wanted)).await?;
            if batch.is_empty() {
                self.update(|s| s.state = WorkerState::Idle);
                self.refresh_counts().await;
                return Ok(report);
            }
            let ids: Vec<Uuid> = batch.iter().map(|r| r.id).collect();
            let queue = self.queue.clone();
            let sent_ids = ids.clone();
            blocking(move || queue.mark_sent(&sent_ids)).await?;
            self.update(|s| s.state = WorkerState::Sending);
            let kiosk_id = if self.kiosk_id.is_empty() {
                batch[0].kiosk_id.clone()
            } else {
                self.kiosk_id.clone()
            };
            match self.client.send(&kiosk_id, &batch).await {
                Ok((answer, wire)) => {
                    let Split {
                        acked,
                        rejected,
                        later,
                    } = split_answer(&ids, &answer);
                    let queue = self.queue.clone();
                    let (n_acked, n_rejected) = (acked.len() as u64, rejected.len() as u64);
                    let wait = later.first().map(|(_, why)| why.clone());
                    let why_later = wait.clone();
                    blocking(move || {
                        queue.mark_acknowledged(&acked)?;
                        queue.mark_rejected(&rejected)?;
                        // Kept as pending: sent again once the kiosk's clock
                        // (or time) has caught up with the hub's.
                        let later: Vec<Uuid> = later.into_iter().map(|(id, _)| id).collect();
                        match &why_later {
                            Some(why) => queue.mark_failed(&later, why),
                            None => Ok(()),
                        }
                    })
                    .await?;
                    for outcome in &answer.results {
                        match outcome {
                            Outcome::Stored => report.stored += 1,
                            Outcome::Duplicate => report.duplicate += 1,
                            Outcome::Rejected => {}
                        }
                    }
                    report.rejected += n_rejected;
                    report.batches += 1;
                    report.wire.request_body += wire.request_body;
                    report.wire.answer_body += wire.answer_body;
                    if n_rejected > 0 {
                        tracing::warn!(n_rejected, "hub rejected records for good");
                    }
                    self.update(|s| {
                        s.last_success = Some(Utc::now());
                        s.clock_skew_ms = Some(answer.clock_skew_ms);
                        s.unsynced = s.unsynced.saturating_sub(n_acked + n_rejected);
                        s.synced_since_start += n_acked;
                    });
                    if let Some(why) = wait {
                        // The same records would come straight back: this
                        // drain ends, the next one tries them again.
                        tracing::warn!(reason = %why, "hub asks to send some records later");
                        self.update(|s| s.state = WorkerState::Idle);
                        return Ok(report);
                    }
                }
                Err(SyncError::TooLarge(detail)) if max_records > 1 => {
                    // The hub's limits are smaller than ours: halve and go on.
                    tracing::info!(max_records, %detail, "batch too large, halving");
                    max_records /= 2;
                    self.mark_failed(ids, "batch too large").await?;
                }
                Err(err) => {
                    tracing::warn!(error = %err, "sync attempt failed");
                    // The hub may be another one when it answers again.
                    self.hub_info = None;
                    self.mark_failed(ids, &err.to_string()).await?;
                    self.note_error(&err);
                    return Err(err);
                }
            }
        }
    }

    /// The record kinds to send: those the hub accepts. A hub that cannot be
    /// asked (offline) is sent every kind of protocol 1, as before the info
    /// endpoint existed; the send itself then fails or succeeds as it would.
    async fn accepted_kinds(&mut self) -> Vec<RecordKind> {
        if let Some((info, at)) = &self.hub_info
            && at.elapsed() < HUB_INFO_TTL
        {
            return info.accepted_kinds();
        }
        match self.client.info().await {
            Ok(info) => {
                let kinds = info.accepted_kinds();
                let held: Vec<&str> = RecordKind::ALL
                    .iter()
                    .filter(|k| !kinds.contains(k))
                    .map(|k| k.as_str())
                    .collect();
                if !held.is_empty() {
                    tracing::info!(
                        ?held,
                        "the hub does not accept these kinds yet: kept on the kiosk"
                    );
                }
                self.hub_info = Some((info, Instant::now()));
                kinds
            }
            Err(err) => {
                tracing::debug!(error = %err, "hub info unavailable");
                HubInfo::protocol_1().accepted_kinds()
            }
        }
    }

    /// Runs until stopped: drains, waits for a wake-up or the poll interval,
    /// and retries with backoff after failures.
    pub fn spawn(mut self) -> SyncHandle {
        let wake = Arc::new(Notify::new());
        let (stop_tx, mut stop_rx) = watch::channel(false);
        let status = self.status();
        let task_wake = wake.clone();
        let task = tokio::spawn(async move {
            let mut backoff = Backoff::new(&self.config);
            let poll = Duration::from_secs(self.config.poll_interval_secs.max(1));
            loop {
                // Stopping drops a batch in flight: its records stay `sent` and go again.
                let result = tokio::select! {
                    r = self.drain() => r,
                    _ = stop_rx.changed() => break,
                };
                tokio::select! {
                    _ = self.heartbeat_if_due() => {}
                    _ = stop_rx.changed() => break,
                }
                tokio::select! {
                    r = self.fleet_if_due() => {
                        if let Err(e) = r {
                            tracing::warn!(error = %e, "fleet configuration not taken");
                        }
                    }
                    _ = stop_rx.changed() => break,
                }
                let wait = match result {
                    Ok(_) => {
                        backoff.reset();
                        poll
                    }
                    Err(err) if err.is_config() => poll,
                    Err(err) => {
                        self.update(|s| s.state = WorkerState::Retrying);
                        backoff.next_delay(&err)
                    }
                };
                tokio::select! {
                    _ = tokio::time::sleep(wait) => {}
                    _ = task_wake.notified() => {}
                    _ = stop_rx.changed() => break,
                }
                if *stop_rx.borrow() {
                    break;
                }
            }
        });
        SyncHandle {
            wake,
            stop: stop_tx,
            status,
            task,
        }
    }

    async fn mark_failed(&self, ids: Vec<Uuid>, error: &str) -> Result<(), SyncError> {
        let queue = self.queue.clone();
        let error = error.to_owned();
        blocking(move || queue.mark_failed(&ids, &error)).await?;
        Ok(())
    }

    async fn refresh_counts(&self) {
        let queue = self.queue.clone();
        match blocking(move || queue.counts()).await {
            Ok(c) => self.update(|s| s.unsynced = c.unsynced),
            Err(err) => tracing::warn!(error = %err, "cannot count the queue"),
        }
    }

    fn note_error(&self, err: &SyncError) {
        let last = LastError {
            at: Utc::now(),
            message: err.message(),
            detail: err.to_string(),
        };
        // Not `sending` any more: a `--once` run ends here, and its saved
        // status must not claim a batch is on its way.
        self.update(|s| {
            s.last_error = Some(last);
            s.state = WorkerState::Retrying;
        });
    }

    fn update(&self, change: impl FnOnce(&mut SyncStatus)) {
        self.status_tx.send_modify(change);
        if let Some(path) = &self.status_file {
            let snapshot = self.status_tx.borrow().clone();
            if let Err(err) = status::save(path, &snapshot) {
                tracing::warn!(error = %err, "cannot save the sync status");
            }
        }
    }
}

/// Records the hub answered for: confirmed, refused for good, and refused
/// for now (to send again later), each refusal with its reason.
#[derive(Debug, Default, PartialEq)]
struct Split {
    acked: Vec<Uuid>,
    rejected: Vec<(Uuid, String)>,
    later: Vec<(Uuid, String)>,
}

fn split_answer(ids: &[Uuid], answer: &checkpoint_wire::BatchAnswer) -> Split {
    let mut split = Split::default();
    for (i, (id, outcome)) in ids.iter().zip(&answer.results).enumerate() {
        match outcome {
            Outcome::Stored | Outcome::Duplicate => split.acked.push(*id),
            Outcome::Rejected => {
                let refusal = answer.rejected.iter().find(|r| r.index == i);
                let reason = refusal.map_or_else(
                    || "rejected".to_owned(),
                    |r| format!("{}: {}", r.reason, r.detail),
                );
                if refusal.is_some_and(checkpoint_wire::Rejection::is_retryable) {
                    split.later.push((*id, reason));
                } else {
                    split.rejected.push((*id, reason));
                }
            }
        }
    }
    split
}

async fn blocking<T, F>(f: F) -> Result<T, QueueError>
where
    F: FnOnce() -> Result<T, QueueError> + Send + 'static,
    T: Send + 'static,
{
    tokio::task::spawn_blocking(f)
        .await
        .map_err(|e| QueueError::new(format!("queue task failed: {e}")))?
}

/// The running worker, held by the window (or `sync` without `--once`).
#[derive(Debug)]
pub struct SyncHandle {
    wake: Arc<Notify>,
    stop: watch::Sender<bool>,
    status: watch::Receiver<SyncStatus>,
    task: JoinHandle<()>,
}

impl SyncHandle {
    /// A new record was stored: send it now rather than at the next poll.
    pub fn wake(&self) {
        self.wake.notify_one();
    }

    /// Live status for the status bar.
    pub fn status(&self) -> watch::Receiver<SyncStatus> {
        self.status.clone()
    }

    /// Stops after the current step. A batch in flight is abandoned safely:
    /// its records stay `sent` and go again next time.
    pub async fn stop(self) {
        let _ = self.stop.send(true);
        let _ = self.task.await;
    }
}

/// The fleet file's path (empty when none: nothing is read there).
fn path_of(file: &Option<PathBuf>) -> PathBuf {
    file.clone().unwrap_or_default()
}
