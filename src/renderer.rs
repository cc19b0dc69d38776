//! Which renderer the window draws with. With no GPU, wgpu runs on a
//! software Vulkan driver (Mesa's lavapipe) when one is installed: measured
//! at more than twice the CPU and memory of iced's own software renderer,
//! tiny-skia. So unless configured otherwise (`kiosk.renderer`), the kiosk
//! asks wgpu for its adapters before the window opens, and when the only
//! ones are CPU-type it starts itself again with `ICED_BACKEND=tiny-skia`,
//! the variable iced 0.14 reads at start-up. (Setting the variable in the
//! running process is `unsafe` in edition 2024, which this crate forbids;
//! replacing the process with `exec` is not. Windows has no `exec`: there the
//! first process starts the second, waits, and exits with its code.)

use serde::{Deserialize, Serialize};

/// `kiosk.renderer`.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RendererChoice {
    /// wgpu on a real GPU, tiny-skia when the only adapters are software.
    #[default]
    Auto,
    /// Always wgpu (iced falls back to tiny-skia if it cannot start).
    Wgpu,
    /// Always iced's software renderer.
    TinySkia,
}

/// The variable iced reads.
pub const ICED_BACKEND: &str = "ICED_BACKEND";

/// What one adapter is, as far as the choice goes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AdapterKind {
    /// A GPU of any kind (integrated, discrete, virtual).
    Gpu,
    /// A CPU implementation (lavapipe, llvmpipe, SwiftShader).
    Software,
}

/// The backend to ask iced for, or `None` to leave iced's own choice.
pub fn backend_for(choice: RendererChoice, adapters: &[AdapterKind]) -> Option<&'static str> {
    match choice {
        RendererChoice::Wgpu => Some("wgpu"),
        RendererChoice::TinySkia => Some("tiny-skia"),
        // No adapter at all: iced falls back to tiny-skia by itself.
        RendererChoice::Auto if adapters.is_empty() => None,
        RendererChoice::Auto if adapters.iter().all(|a| *a == AdapterKind::Software) => {
            Some("tiny-skia")
        }
        RendererChoice::Auto => None,
    }
}

/// The adapters wgpu offers on this machine.
pub fn probe() -> Vec<AdapterKind> {
    let started = std::time::Instant::now();
    let instance = wgpu::Instance::new(&wgpu::InstanceDescriptor::default());
    let kinds: Vec<AdapterKind> = instance
        .enumerate_adapters(wgpu::Backends::all())
        .iter()
        .map(|a| {
            let info = a.get_info();
            tracing::info!(name = %info.name, backend = ?info.backend, kind = ?info.device_type, "graphics adapter");
            if info.device_type == wgpu::DeviceType::Cpu {
                AdapterKind::Software
            } else {
                AdapterKind::Gpu
            }
        })
        .collect();
    tracing::info!(
        ms = started.elapsed().as_millis(),
        adapters = kinds.len(),
        "adapters probed"
    );
    kinds
}

/// Before the window opens: when iced would start on the wrong renderer,
/// replaces this process with itself and `ICED_BACKEND` set. Returns only
/// when nothing needs to change (or the re-start failed, said in the log).
pub fn choose(choice: RendererChoice) {
    if std::env::var_os(ICED_BACKEND).is_some() {
        // Set by the operator, a launch script, or our own re-start.
        return;
    }
    let adapters = if choice == RendererChoice::Auto {
        probe()
    } else {
        Vec::new()
    };
    let Some(backend) = backend_for(choice, &adapters) else {
        return;
    };
    tracing::info!(backend, "starting again with the chosen renderer");
    let err = restart_with(backend);
    tracing::warn!(error = %err, "could not start again; iced chooses the renderer");
}

#[cfg(unix)]
fn restart_with(backend: &str) -> std::io::Error {
    use std::os::unix::process::CommandExt as _;
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return e,
    };
    std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(ICED_BACKEND, backend)
        .exec()
}

#[cfg(windows)]
fn restart_with(backend: &str) -> std::io::Error {
    let exe = match std::env::current_exe() {
        Ok(exe) => exe,
        Err(e) => return e,
    };
    // The child inherits the standard handles, so a terminal or a pipe sees
    // its output as if it were this process.
    match std::process::Command::new(exe)
        .args(std::env::args_os().skip(1))
        .env(ICED_BACKEND, backend)
        .status()
    {
        Ok(status) => std::process::exit(status.code().unwrap_or(1)),
        Err(e) => e,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use AdapterKind::*;

    #[test]
    fn software_only_machines_get_tiny_skia_and_gpus_keep_wgpu() {
        let auto = RendererChoice::Auto;
        assert_eq!(backend_for(auto, &[Software]), Some("tiny-skia"));
        assert_eq!(backend_for(auto, &[Software, Software]), Some("tiny-skia"));
        assert_eq!(backend_for(auto, &[Software, Gpu]), None);
        assert_eq!(backend_for(auto, &[Gpu]), None);
        assert_eq!(backend_for(auto, &[]), None);
        assert_eq!(backend_for(RendererChoice::Wgpu, &[Software]), Some("wgpu"));
        assert_eq!(
            backend_for(RendererChoice::TinySkia, &[Gpu]),
            Some("tiny-skia")
        );
    }
}
