//! The decoding worker through its public handle: latest frame wins, a held
//! code is reported once, files and handheld scans share the stream, and a
//! replayed source (the shipped demo frames) feeds it end to end.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::Path;
use std::time::{Duration, Instant};

use checkpoint_kiosk::scan::engine::{DecoderName, Engine};
use checkpoint_kiosk::scan::synthetic::{CodePlacement, scene, with_code};
use checkpoint_kiosk::scan::{
    Frame, FrameSource, ReplaySource, ScanChannels, ScanEvent, ScanOrigin, ScanWorker, SourceError,
    WorkerConfig,
};

const CCCD: &str = "001098012345||NGUYỄN VĂN A|15081998|Nam|Hà Nội|25052021";

fn code_frame(seq: u64, payload: &str) -> Frame {
    let placement = CodePlacement {
        centre: (320.0, 240.0),
        module_px: 4.0,
        angle_deg: 5.0,
    };
    let img = with_code(scene(640, 480, seq), payload.as_bytes(), &placement, seq);
    Frame::from_rgba(img, seq)
}

fn next_event(ch: &mut ScanChannels, timeout: Duration) -> Option<ScanEvent> {
    let end = Instant::now() + timeout;
    while Instant::now() < end {
        if let Ok(e) = ch.events.try_recv() {
            return Some(e);
        }
        std::thread::sleep(Duration::from_millis(5));
    }
    None
}

fn reads(ch: &mut ScanChannels, timeout: Duration) -> Vec<String> {
    let mut out = Vec::new();
    while let Some(e) = next_event(ch, timeout) {
        if let ScanEvent::Read(r) = e {
            out.push(r.code.text.unwrap_or_default());
        }
    }
    out
}

#[test]
fn latest_frame_wins_and_nothing_queues() {
    let (worker, mut ch) = ScanWorker::spawn(Engine::default(), WorkerConfig::default());
    // 40 frames at once: far faster than decoding.
    let frames: Vec<Frame> = (0..40)
        .map(|i| code_frame(i, &format!("frame {i}")))
        .collect();
    for f in frames {
        worker.submit(f);
        assert!(worker.waiting() <= 1);
    }
    let got = reads(&mut ch, Duration::from_secs(3));
    let stats = worker.stats();
    assert_eq!(stats.received, 40);
    assert!(stats.dropped > 0, "{stats:?}");
    assert_eq!(stats.decoded + stats.dropped, 40, "{stats:?}");
    // The newest frame is always decoded.
    assert_eq!(got.last().map(String::as_str), Some("frame 39"));
    assert!(got.len() < 40);
}

#[test]
fn a_held_code_is_reported_once_until_reset() {
    let (worker, mut ch) = ScanWorker::spawn(Engine::default(), WorkerConfig::default());
    for i in 0..5 {
        worker.submit(code_frame(i, CCCD));
        std::thread::sleep(Duration::from_millis(60));
    }
    assert_eq!(
        reads(&mut ch, Duration::from_millis(500)),
        vec![CCCD.to_owned()]
    );
    worker.reset_repeats();
    worker.submit(code_frame(9, CCCD));
    assert_eq!(
        reads(&mut ch, Duration::from_millis(800)),
        vec![CCCD.to_owned()]
    );
}

#[test]
fn files_and_handheld_scans_share_the_stream() {
    let (worker, mut ch) = ScanWorker::spawn(Engine::default(), WorkerConfig::default());
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    worker.submit_wedge("HC1:NCFOXN".into());
    worker.submit_image(demo.join("02-cccd.jpg"));
    worker.submit_image(demo.join("00-empty.jpg"));
    worker.submit_image(demo.join("missing.jpg"));
    let mut events = Vec::new();
    while let Some(e) = next_event(&mut ch, Duration::from_secs(2)) {
        events.push(e);
    }
    assert_eq!(events.len(), 4, "{events:?}");
    match &events[0] {
        ScanEvent::Read(r) => {
            assert_eq!(r.origin, ScanOrigin::Wedge);
            assert_eq!(r.code.decoder, DecoderName::HandheldScanner);
            assert_eq!(r.code.text.as_deref(), Some("HC1:NCFOXN"));
        }
        other => panic!("{other:?}"),
    }
    match &events[1] {
        ScanEvent::Read(r) => {
            assert_eq!(r.origin, ScanOrigin::Image(demo.join("02-cccd.jpg")));
            assert_eq!(r.code.text.as_deref(), Some(CCCD));
        }
        other => panic!("{other:?}"),
    }
    assert_eq!(
        events[2],
        ScanEvent::NoCodeInImage(demo.join("00-empty.jpg"))
    );
    assert!(
        matches!(&events[3], ScanEvent::ImageUnreadable { path, .. } if path.ends_with("missing.jpg"))
    );
}

#[test]
fn the_demo_replay_feeds_reads_and_previews() {
    let (mut worker, mut ch) = ScanWorker::spawn(Engine::default(), WorkerConfig::default());
    let demo = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/demo");
    worker.attach_source(move || {
        Ok(Box::new(ReplaySource::open(&demo, 30)?) as Box<dyn FrameSource>)
    });
    let mut ready = false;
    let mut read = None;
    let end = Instant::now() + Duration::from_secs(10);
    while read.is_none() && Instant::now() < end {
        match next_event(&mut ch, Duration::from_millis(200)) {
            Some(ScanEvent::SourceReady(desc)) => ready = desc.contains("replay"),
            Some(ScanEvent::Read(r)) => read = Some(r),
            _ => {}
        }
    }
    let read = read.expect("the demo code is read");
    assert!(ready);
    assert_eq!(read.code.text.as_deref(), Some(CCCD));
    assert_eq!(read.origin, ScanOrigin::Live);
    // The outline lies inside the frame.
    assert!(
        read.code
            .corners
            .iter()
            .all(|p| (0.0..1280.0).contains(&p.x) && (0.0..720.0).contains(&p.y))
    );
    let preview = ch.preview.borrow().clone().expect("a preview frame");
    assert_eq!((preview.rgba.width(), preview.rgba.height()), (1280, 720));
    worker.stop();
}

#[test]
fn a_source_that_cannot_start_ends_cleanly() {
    let (mut worker, mut ch) = ScanWorker::spawn(Engine::default(), WorkerConfig::default());
    let empty = tempfile::tempdir().unwrap();
    let path = empty.path().to_owned();
    worker.attach_source(move || {
        Ok(Box::new(ReplaySource::open(&path, 30)?) as Box<dyn FrameSource>)
    });
    let first = next_event(&mut ch, Duration::from_secs(2));
    assert!(
        matches!(
            first,
            Some(ScanEvent::SourceProblem(SourceError::ReplayEmpty(_)))
        ),
        "{first:?}"
    );
    assert_eq!(
        next_event(&mut ch, Duration::from_secs(2)),
        Some(ScanEvent::SourceEnded)
    );
}
