//! Decoding off the GUI thread. The latest frame wins: a frame waiting when a
//! newer one arrives is dropped, so a slow decode never builds a queue. Reads
//! go out on a channel the GUI subscribes to; previews on a watch channel
//! that only ever holds the newest frame.

use std::collections::VecDeque;
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use tokio::sync::{mpsc, watch};

use super::dedupe::RepeatFilter;
use super::engine::{Code, DecoderName, Effort, Engine, Point};
use super::frame::Frame;
use super::source::{FrameSource, SourceError};
use checkpoint_i18n::Message;
use checkpoint_i18n::fl;

/// Where a read came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ScanOrigin {
    /// A live frame (camera or replay).
    Live,
    /// An image file given by staff.
    Image(PathBuf),
    /// A handheld scanner typing like a keyboard.
    Wedge,
    /// A scanner in serial mode, on this device.
    Serial(PathBuf),
}

/// One code read.
#[derive(Debug, Clone, PartialEq)]
pub struct ScanRead {
    pub code: Code,
    pub origin: ScanOrigin,
    /// Sequence number of the frame it came from (live reads).
    pub frame_seq: Option<u64>,
    /// From the frame's arrival (or the request) to this event.
    pub latency: Duration,
}

/// What the worker tells the GUI.
#[derive(Debug, Clone, PartialEq)]
pub enum ScanEvent {
    /// A code was read (a live code held still is reported once per interval).
    Read(ScanRead),
    /// An image file held no readable code.
    NoCodeInImage(PathBuf),
    /// An image file could not be read.
    ImageUnreadable { path: PathBuf, reason: String },
    /// The source delivers frames (again).
    SourceReady(String),
    /// The source has a problem (e.g. camera unplugged); it keeps trying
    /// unless the error is fatal.
    SourceProblem(SourceError),
    /// The source ended for good.
    SourceEnded,
    /// One decode has been running longer than the stall limit.
    Stalled { busy: Duration },
}

impl ScanEvent {
    /// A staff-facing message for events that need one (problems, stalls).
    pub fn message(&self) -> Option<Message> {
        match self {
            ScanEvent::SourceProblem(err) => Some(err.message()),
            ScanEvent::SourceEnded => Some(Message::new(fl!("scan-source-stopped"))),
            ScanEvent::Stalled { .. } => Some(Message::new(fl!("scan-stalled"))),
            ScanEvent::ImageUnreadable { path, reason } => Some(
                Message::new(fl!("scan-error-image"))
                    .arg("path", path.display())
                    .arg("reason", reason),
            ),
            ScanEvent::NoCodeInImage(_) => Some(Message::new(fl!("scan-no-code-in-image"))),
            ScanEvent::Read(_) | ScanEvent::SourceReady(_) => None,
        }
    }
}

/// How the worker behaves.
#[derive(Debug, Clone, PartialEq)]
pub struct WorkerConfig {
    /// The same live payload is reported once per this interval.
    pub repeat_interval: Duration,
    /// A decode running longer than this is reported as a stall.
    pub stall_after: Duration,
}

impl Default for WorkerConfig {
    fn default() -> Self {
        Self {
            repeat_interval: Duration::from_secs(3),
            stall_after: Duration::from_secs(2),
        }
    }
}

/// Counters of the worker's life.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct WorkerStats {
    /// Live frames submitted.
    pub received: u64,
    /// Live frames decoded.
    pub decoded: u64,
    /// Live frames replaced by a newer one before being decoded.
    pub dropped: u64,
}

enum Job {
    Image(PathBuf, Instant),
    Wedge(String, Instant),
    ResetRepeats,
}

#[derive(Default)]
struct Pending {
    frame: Option<Frame>,
    jobs: VecDeque<Job>,
    stop: bool,
}

#[derive(Default)]
struct Shared {
    pending: Mutex<Pending>,
    wake: Condvar,
    received: AtomicU64,
    decoded: AtomicU64,
    dropped: AtomicU64,
    busy_since: Mutex<Option<Instant>>,
    stall_reported: AtomicBool,
    stop: AtomicBool,
}

impl Shared {
    fn pending(&self) -> MutexGuard<'_, Pending> {
        // A poisoned lock only means a thread panicked while holding it; the
        // data (a slot and a job list) is still consistent.
        self.pending
            .lock()
            .unwrap_or_else(std::sync::PoisonError::into_inner)
    }
}

/// The receiving ends the GUI keeps.
#[derive(Debug)]
pub struct ScanChannels {
    pub events: mpsc::UnboundedReceiver<ScanEvent>,
    pub preview: watch::Receiver<Option<Frame>>,
}

/// The decoding thread, and the source thread when one is attached.
pub struct ScanWorker {
    shared: Arc<Shared>,
    events: mpsc::UnboundedSender<ScanEvent>,
    preview: Arc<watch::Sender<Option<Frame>>>,
    config: WorkerConfig,
    decoder: Option<JoinHandle<()>>,
    source: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for ScanWorker {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ScanWorker")
            .field("stats", &self.stats())
            .finish()
    }
}

impl ScanWorker {
    /// Starts the decoding thread.
    pub fn spawn(engine: Engine, config: WorkerConfig) -> (ScanWorker, ScanChannels) {
        let shared = Arc::new(Shared::default());
        let (events_tx, events_rx) = mpsc::unbounded_channel();
        let (preview_tx, preview_rx) = watch::channel(None);
        let decoder = {
            let shared = shared.clone();
            let events = events_tx.clone();
            let repeat = config.repeat_interval;
            std::thread::Builder::new()
                .name("scan-decode".into())
                .spawn(move || decode_loop(&shared, &engine, &events, repeat))
                .map_err(|e| tracing::error!(%e, "cannot start the decoding thread"))
                .ok()
        };
        let worker = ScanWorker {
            shared,
            events: events_tx,
            preview: Arc::new(preview_tx),
            config,
            decoder,
            source: None,
        };
        let channels = ScanChannels {
            events: events_rx,
            preview: preview_rx,
        };
        (worker, channels)
    }

    /// Hands a live frame to the decoder; a frame still waiting is dropped.
    pub fn submit(&self, frame: Frame) {
        submit(&self.shared, frame);
    }

    /// Decodes an image file (thoroughly), reporting even a repeated code.
    pub fn submit_image(&self, path: PathBuf) {
        self.push_job(Job::Image(path, Instant::now()));
    }

    /// Reports what a handheld scanner typed (see `wedge`).
    pub fn submit_wedge(&self, text: String) {
        self.push_job(Job::Wedge(text, Instant::now()));
    }

    /// Forgets recent codes: the next sighting of any code is reported
    /// (e.g. when a new visitor starts).
    pub fn reset_repeats(&self) {
        self.push_job(Job::ResetRepeats);
    }

    fn push_job(&self, job: Job) {
        let mut pending = self.shared.pending();
        // Staff actions are rare; a bound still keeps a stuck GUI from
        // growing the list.
        if pending.jobs.len() < 32 {
            pending.jobs.push_back(job);
        }
        drop(pending);
        self.shared.wake.notify_one();
    }

    /// Starts a thread that pulls frames from the source `open` makes (on
    /// that thread: camera handles may not move between threads), shows them
    /// as previews and hands them to the decoder.
    pub fn attach_source<F>(&mut self, open: F)
    where
        F: FnOnce() -> Result<Box<dyn FrameSource>, SourceError> + Send + 'static,
    {
        let shared = self.shared.clone();
        let events = self.events.clone();
        let preview = self.preview.clone();
        let stall_after = self.config.stall_after;
        let handle = std::thread::Builder::new()
            .name("scan-source".into())
            .spawn(move || source_loop(open, &shared, &events, &preview, stall_after))
            .map_err(|e| tracing::error!(%e, "cannot start the source thread"))
            .ok();
        self.source = handle;
    }

    /// The counters so far.
    pub fn stats(&self) -> WorkerStats {
        WorkerStats {
            received: self.shared.received.load(Ordering::Relaxed),
            decoded: self.shared.decoded.load(Ordering::Relaxed),
            dropped: self.shared.dropped.load(Ordering::Relaxed),
        }
    }

    /// Live frames waiting to be decoded: 0 or 1, by construction.
    pub fn waiting(&self) -> usize {
        usize::from(self.shared.pending().frame.is_some())
    }

    /// Stops both threads and waits for them.
    pub fn stop(&mut self) {
        self.shared.stop.store(true, Ordering::Relaxed);
        self.shared.pending().stop = true;
        self.shared.wake.notify_all();
        for handle in [self.source.take(), self.decoder.take()]
            .into_iter()
            .flatten()
        {
            let _ = handle.join();
        }
    }
}

impl Drop for ScanWorker {
    fn drop(&mut self) {
        self.stop();
    }
}

fn submit(shared: &Shared, frame: Frame) {
    shared.received.fetch_add(1, Ordering::Relaxed);
    let replaced = shared.pending().frame.replace(frame);
    if replaced.is_some() {
        shared.dropped.fetch_add(1, Ordering::Relaxed);
    }
    shared.wake.notify_one();
}

enum Work {
    Job(Job),
    Frame(Frame),
    Stop,
}

fn next_work(shared: &Shared) -> Work {
    let mut pending = shared.pending();
    loop {
        if pending.stop {
            return Work::Stop;
        }
        if let Some(job) = pending.jobs.pop_front() {
            return Work::Job(job);
        }
        if let Some(frame) = pending.frame.take() {
            return Work::Frame(frame);
        }
        pending = shared
            .wake
            .wait(pending)
            .unwrap_or_else(std::sync::PoisonError::into_inner);
    }
}

fn decode_loop(
    shared: &Shared,
    engine: &Engine,
    events: &mpsc::UnboundedSender<ScanEvent>,
    repeat: Duration,
) {
    let mut repeats = RepeatFilter::new(repeat);
    loop {
        let event_sent = match next_work(shared) {
            Work::Stop => return,
            Work::Frame(frame) => decode_frame(shared, engine, &mut repeats, &frame, events),
            Work::Job(Job::ResetRepeats) => {
                repeats.clear();
                true
            }
            Work::Job(Job::Wedge(text, at)) => {
                let code = Code::from_bytes(
                    text.into_bytes(),
                    None,
                    DecoderName::HandheldScanner,
                    "keyboard",
                    [Point::default(); 4],
                );
                events
                    .send(ScanEvent::Read(ScanRead {
                        code,
                        origin: ScanOrigin::Wedge,
                        frame_seq: None,
                        latency: at.elapsed(),
                    }))
                    .is_ok()
            }
            Work::Job(Job::Image(path, at)) => decode_file(engine, path, at, events),
        };
        if !event_sent {
            // Nobody listens any more: the GUI is gone.
            return;
        }
    }
}

fn decode_frame(
    shared: &Shared,
    engine: &Engine,
    repeats: &mut RepeatFilter,
    frame: &Frame,
    events: &mpsc::UnboundedSender<ScanEvent>,
) -> bool {
    set_busy(shared, Some(Instant::now()));
    let decoded = engine.decode(&frame.grey, Effort::Live);
    set_busy(shared, None);
    shared.decoded.fetch_add(1, Ordering::Relaxed);
    let now = Instant::now();
    for code in decoded.codes {
        if repeats.admit(&code.bytes, now) {
            let read = ScanRead {
                code,
                origin: ScanOrigin::Live,
                frame_seq: Some(frame.seq),
                latency: frame.arrived.elapsed(),
            };
            if events.send(ScanEvent::Read(read)).is_err() {
                return false;
            }
        }
    }
    true
}

fn decode_file(
    engine: &Engine,
    path: PathBuf,
    at: Instant,
    events: &mpsc::UnboundedSender<ScanEvent>,
) -> bool {
    let img = match super::files::load_grey(&path) {
        Ok(img) => img,
        Err(e) => {
            return events
                .send(ScanEvent::ImageUnreadable {
                    path,
                    reason: e.reason,
                })
                .is_ok();
        }
    };
    let decoded = engine.decode(&img, Effort::Still);
    if decoded.codes.is_empty() {
        return events.send(ScanEvent::NoCodeInImage(path)).is_ok();
    }
    decoded.codes.into_iter().all(|code| {
        events
            .send(ScanEvent::Read(ScanRead {
                code,
                origin: ScanOrigin::Image(path.clone()),
                frame_seq: None,
                latency: at.elapsed(),
            }))
            .is_ok()
    })
}

fn set_busy(shared: &Shared, since: Option<Instant>) {
    if let Ok(mut busy) = shared.busy_since.lock() {
        *busy = since;
    }
    if since.is_none() {
        shared.stall_reported.store(false, Ordering::Relaxed);
    }
}

fn source_loop<F>(
    open: F,
    shared: &Shared,
    events: &mpsc::UnboundedSender<ScanEvent>,
    preview: &watch::Sender<Option<Frame>>,
    stall_after: Duration,
) where
    F: FnOnce() -> Result<Box<dyn FrameSource>, SourceError>,
{
    let mut source = match open() {
        Ok(s) => s,
        Err(err) => {
            let _ = events.send(ScanEvent::SourceProblem(err));
            let _ = events.send(ScanEvent::SourceEnded);
            return;
        }
    };
    let mut last_error: Option<SourceError> = None;
    let mut ready_sent = false;
    while !shared.stop.load(Ordering::Relaxed) {
        match source.next_frame() {
            Ok(frame) => {
                if !ready_sent || last_error.is_some() {
                    ready_sent = true;
                    last_error = None;
                    let _ = events.send(ScanEvent::SourceReady(source.describe()));
                }
                preview.send_replace(Some(frame.clone()));
                submit(shared, frame);
                report_stall(shared, events, stall_after);
            }
            Err(err) => {
                let fatal = err.is_fatal();
                // The same problem again (each reconnection attempt) is not news.
                if last_error.as_ref() != Some(&err) {
                    let _ = events.send(ScanEvent::SourceProblem(err.clone()));
                }
                last_error = Some(err);
                if fatal {
                    let _ = events.send(ScanEvent::SourceEnded);
                    return;
                }
            }
        }
    }
}

fn report_stall(shared: &Shared, events: &mpsc::UnboundedSender<ScanEvent>, stall_after: Duration) {
    let busy = shared
        .busy_since
        .lock()
        .ok()
        .and_then(|b| *b)
        .map(|t| t.elapsed());
    if let Some(busy) = busy.filter(|b| *b >= stall_after)
        && !shared.stall_reported.swap(true, Ordering::Relaxed)
    {
        tracing::warn!(?busy, "a decode is taking too long");
        let _ = events.send(ScanEvent::Stalled { busy });
    }
}
