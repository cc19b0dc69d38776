//! Three short, distinct sounds: a code was read, the declaration is done,
//! the visitor must wait for staff. Synthesised (no sound files to lose) and
//! played on a thread of their own, which opens the audio device only while
//! there is something to play: an idle kiosk keeps no audio stream running.

use std::f32::consts::TAU;
use std::num::NonZero;
use std::sync::mpsc;
use std::time::Duration;

/// What happened.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Sound {
    /// A code was read: one short high blip.
    Read,
    /// Declaration stored, all clear: a rising two-note chime.
    Done,
    /// Declaration stored, staff must see the visitor: three low pulses.
    NeedsStaff,
}

/// Samples per second of the synthesised sounds.
pub const SAMPLE_RATE: u32 = 44_100;

/// One tone of a sound: frequency (Hz, 0 = silence) and length.
#[derive(Debug, Clone, Copy)]
struct Tone(f32, u64);

impl Sound {
    fn tones(self) -> &'static [Tone] {
        match self {
            Sound::Read => &[Tone(1320.0, 70)],
            Sound::Done => &[Tone(660.0, 120), Tone(0.0, 20), Tone(990.0, 220)],
            Sound::NeedsStaff => &[
                Tone(392.0, 160),
                Tone(0.0, 90),
                Tone(392.0, 160),
                Tone(0.0, 90),
                Tone(392.0, 160),
            ],
        }
    }

    /// The sound as mono samples in [-1, 1]. Each tone fades in and out over
    /// 5 ms so it does not click.
    pub fn samples(self) -> Vec<f32> {
        let mut out = Vec::new();
        for Tone(freq, ms) in self.tones() {
            let n = usize::try_from(u64::from(SAMPLE_RATE) * ms / 1000).unwrap_or(0);
            let fade = (SAMPLE_RATE / 200) as usize;
            for i in 0..n {
                let t = i as f32 / SAMPLE_RATE as f32;
                let edge = i.min(n - 1 - i).min(fade) as f32 / fade as f32;
                let value = if *freq > 0.0 {
                    (TAU * freq * t).sin() * 0.35 * edge
                } else {
                    0.0
                };
                out.push(value);
            }
        }
        out
    }
}

/// Plays sounds, or stays silent when turned off or when there is no
/// audio device (a kiosk without speakers, CI).
#[derive(Debug)]
pub struct Sounds {
    enabled: bool,
    player: Option<mpsc::Sender<Sound>>,
}

impl Sounds {
    /// Never plays anything.
    pub fn silent() -> Self {
        Self {
            enabled: false,
            player: None,
        }
    }

    /// Starts the player thread.
    pub fn open(enabled: bool) -> Self {
        let (tx, rx) = mpsc::channel();
        let started = std::thread::Builder::new()
            .name("sounds".into())
            .spawn(move || player_loop(&rx));
        match started {
            Ok(_) => Self {
                enabled,
                player: Some(tx),
            },
            Err(e) => {
                tracing::warn!(error = %e, "no sound thread");
                Self::silent()
            }
        }
    }

    /// Staff turned sounds on or off.
    pub fn set_enabled(&mut self, enabled: bool) {
        self.enabled = enabled;
    }

    pub fn is_enabled(&self) -> bool {
        self.enabled
    }

    /// Plays `sound` if sounds are on; never blocks.
    pub fn play(&self, sound: Sound) {
        if self.enabled
            && let Some(tx) = &self.player
        {
            let _ = tx.send(sound);
        }
    }
}

/// How long the device stays open after a sound, for the next one.
const KEEP_OPEN: Duration = Duration::from_secs(3);

/// After the audio device fails to open, how long sounds stay silent before
/// it is tried again (a speaker plugged in later is found; a kiosk with none
/// does not try, and have ALSA complain on stderr, at every visitor).
const RETRY_AFTER: Duration = Duration::from_secs(300);

/// When the device may be tried again.
#[derive(Debug, Default)]
struct Retry {
    not_before: Option<std::time::Instant>,
}

impl Retry {
    fn may_try(&self, now: std::time::Instant) -> bool {
        self.not_before.is_none_or(|t| now >= t)
    }

    fn failed(&mut self, now: std::time::Instant) {
        self.not_before = Some(now + RETRY_AFTER);
    }
}

fn player_loop(rx: &mpsc::Receiver<Sound>) {
    let mut device: Option<rodio::MixerDeviceSink> = None;
    let mut warned = false;
    let mut retry = Retry::default();
    loop {
        let next = if device.is_some() {
            match rx.recv_timeout(KEEP_OPEN) {
                Ok(sound) => Some(sound),
                Err(mpsc::RecvTimeoutError::Timeout) => None,
                Err(mpsc::RecvTimeoutError::Disconnected) => return,
            }
        } else {
            match rx.recv() {
                Ok(sound) => Some(sound),
                Err(_) => return,
            }
        };
        let Some(sound) = next else {
            // Quiet for a while: close the device so it costs nothing.
            device = None;
            continue;
        };
        if device.is_none() {
            let now = std::time::Instant::now();
            if !retry.may_try(now) {
                continue;
            }
            match rodio::DeviceSinkBuilder::open_default_sink() {
                Ok(mut sink) => {
                    sink.log_on_drop(false);
                    device = Some(sink);
                }
                Err(e) => {
                    if !warned {
                        tracing::warn!(error = %e, "no audio output: sounds are silent");
                        warned = true;
                    }
                    retry.failed(now);
                    continue;
                }
            }
        }
        if let Some(sink) = &device {
            let buffer = rodio::buffer::SamplesBuffer::new(
                NonZero::<u16>::MIN,
                NonZero::new(SAMPLE_RATE).unwrap_or(NonZero::<u32>::MIN),
                sound.samples(),
            );
            sink.mixer().add(buffer);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Sign changes per second: twice the dominant frequency of a pure tone.
    fn zero_crossings_per_sec(samples: &[f32]) -> f32 {
        let voiced: Vec<f32> = samples.iter().copied().filter(|s| *s != 0.0).collect();
        let crossings = voiced
            .windows(2)
            .filter(|w| (w[0] < 0.0) != (w[1] < 0.0))
            .count();
        crossings as f32 * SAMPLE_RATE as f32 / voiced.len() as f32
    }

    #[test]
    fn a_missing_device_is_tried_again_only_after_five_minutes() {
        let t0 = std::time::Instant::now();
        let mut retry = Retry::default();
        assert!(retry.may_try(t0));
        retry.failed(t0);
        assert!(!retry.may_try(t0 + Duration::from_secs(299)));
        assert!(retry.may_try(t0 + RETRY_AFTER));
    }

    #[test]
    fn the_three_sounds_are_distinct_in_length_and_pitch() {
        let read = Sound::Read.samples();
        let done = Sound::Done.samples();
        let staff = Sound::NeedsStaff.samples();
        // Lengths: a blip, a chime, a longer alert.
        assert!(read.len() < done.len() && done.len() < staff.len());
        assert_eq!(read.len(), 44_100 * 70 / 1000);
        // Pitch: high, middle, low.
        let (r, d, s) = (
            zero_crossings_per_sec(&read),
            zero_crossings_per_sec(&done),
            zero_crossings_per_sec(&staff),
        );
        assert!(r > d && d > s, "{r} {d} {s}");
        assert!((s / 2.0 - 392.0).abs() < 20.0, "{s}");
    }

    #[test]
    fn samples_stay_in_range_and_start_and_end_quietly() {
        for sound in [Sound::Read, Sound::Done, Sound::NeedsStaff] {
            let s = sound.samples();
            assert!(s.iter().all(|v| v.abs() <= 0.35));
            assert!(s[0].abs() < 0.01 && s[s.len() - 1].abs() < 0.01);
        }
    }

    #[test]
    fn silent_or_disabled_sounds_do_nothing() {
        let silent = Sounds::silent();
        silent.play(Sound::Done);
        assert!(!silent.is_enabled());
        let mut off = Sounds::open(false);
        off.play(Sound::Read);
        assert!(!off.is_enabled());
        off.set_enabled(true);
        assert!(off.is_enabled());
        // No audio device here: the player logs once and carries on.
        off.play(Sound::Read);
    }
}
