//! CPU time of the calling thread (as Python's `time.thread_time`), on
//! either platform: CLOCK_THREAD_CPUTIME_ID on Unix, GetThreadTimes on Windows.

use std::time::Duration;

#[cfg(unix)]
pub fn thread_cpu() -> Duration {
    let t = rustix::time::clock_gettime(rustix::time::ClockId::ThreadCPUTime);
    Duration::new(t.tv_sec as u64, t.tv_nsec as u32)
}

#[cfg(windows)]
pub fn thread_cpu() -> Duration {
    checkpoint_win32::thread_cpu_time()
}
