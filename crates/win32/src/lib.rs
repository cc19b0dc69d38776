//! The Win32 calls the kiosk makes on Windows, behind safe functions:
//! protecting the database key for the machine (DPAPI), finding removable
//! drives (USB sticks) for exports, and a thread's CPU time (benchmarks).
//! On other platforms the crate is empty; callers choose with `cfg`.

#[cfg(windows)]
mod windows;

#[cfg(windows)]
pub use windows::*;
