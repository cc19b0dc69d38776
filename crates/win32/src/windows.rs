use std::io;
use std::path::PathBuf;
use std::time::Duration;

use windows_sys::Win32::Foundation::{FILETIME, LocalFree};
use windows_sys::Win32::Security::Cryptography::{
    CRYPT_INTEGER_BLOB, CRYPTPROTECT_LOCAL_MACHINE, CRYPTPROTECT_UI_FORBIDDEN, CryptProtectData,
    CryptUnprotectData,
};
use windows_sys::Win32::Storage::FileSystem::{GetDriveTypeW, GetLogicalDrives};
use windows_sys::Win32::System::Threading::{GetCurrentThread, GetThreadTimes};
use windows_sys::Win32::System::WindowsProgramming::DRIVE_REMOVABLE;

/// Encrypts `data` with DPAPI for this machine: any account on this machine
/// can decrypt it, no other machine can (a copied disk or a stolen file is
/// useless elsewhere). No prompt is ever shown.
pub fn protect_for_machine(data: &[u8]) -> io::Result<Vec<u8>> {
    let input = blob_of(data)?;
    let mut output = CRYPT_INTEGER_BLOB {
        cbData: 0,
        pbData: std::ptr::null_mut(),
    };
    // SAFETY: `input` points at `data`, alive and unmodified for the call
    // (DPAPI only reads it); the description, entropy, reserved and prompt
    // arguments may be null; `output` is ours to receive a LocalAlloc'd
    // buffer, which `take_output` copies and frees.
    let ok = unsafe {
        CryptProtectData(
            &input,
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            CRYPTPROTECT_LOCAL_MACHINE | CRYPTPROTECT_UI_FORBIDDEN,
            &mut output,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(take_output(output))
}

/// Decrypts what [`protect_for_machine`] made on this machine.
pub fn unprotect(blob: &[u8]) -> io::Result<Vec<u8>> {
    let input = blob_of(blob)?;
    let mut output = CRYPT_INTEGER_BLOB {
        cbData: 0,
        pbData: std::ptr::null_mut(),
    };
    // SAFETY: as in `protect_for_machine`; the description out-pointer is
    // null, so DPAPI allocates nothing else for us to free.
    let ok = unsafe {
        CryptUnprotectData(
            &input,
            std::ptr::null_mut(),
            std::ptr::null(),
            std::ptr::null(),
            std::ptr::null(),
            CRYPTPROTECT_UI_FORBIDDEN,
            &mut output,
        )
    };
    if ok == 0 {
        return Err(io::Error::last_os_error());
    }
    Ok(take_output(output))
}

fn blob_of(data: &[u8]) -> io::Result<CRYPT_INTEGER_BLOB> {
    let len = u32::try_from(data.len())
        .map_err(|_| io::Error::new(io::ErrorKind::InvalidInput, "too large for DPAPI"))?;
    Ok(CRYPT_INTEGER_BLOB {
        cbData: len,
        // DPAPI takes a mutable pointer but never writes through the input.
        pbData: data.as_ptr().cast_mut(),
    })
}

/// Copies DPAPI's output buffer into a vector and frees it.
fn take_output(output: CRYPT_INTEGER_BLOB) -> Vec<u8> {
    if output.pbData.is_null() {
        return Vec::new();
    }
    // SAFETY: on success DPAPI set `pbData` to a LocalAlloc'd buffer of
    // exactly `cbData` bytes, initialised, owned by us until LocalFree.
    let bytes =
        unsafe { std::slice::from_raw_parts(output.pbData, output.cbData as usize) }.to_vec();
    // SAFETY: the buffer came from LocalAlloc inside DPAPI and is freed once,
    // after the copy above; nothing refers to it afterwards.
    unsafe { LocalFree(output.pbData.cast()) };
    bytes
}

/// The roots (`E:\`) of the removable drives present now: USB sticks and
/// card readers, where staff take exports away.
pub fn removable_drives() -> Vec<PathBuf> {
    // SAFETY: no arguments; returns a bit mask of the drive letters in use.
    let mask = unsafe { GetLogicalDrives() };
    (0..26u8)
        .filter(|i| mask & (1 << i) != 0)
        .map(|i| format!("{}:\\", char::from(b'A' + i)))
        .filter(|root| {
            let wide: Vec<u16> = root.encode_utf16().chain([0]).collect();
            // SAFETY: `wide` is a NUL-terminated UTF-16 string alive for the call.
            unsafe { GetDriveTypeW(wide.as_ptr()) == DRIVE_REMOVABLE }
        })
        .map(PathBuf::from)
        .collect()
}

/// CPU time (user and kernel) the calling thread has used.
pub fn thread_cpu_time() -> Duration {
    let zero = FILETIME {
        dwLowDateTime: 0,
        dwHighDateTime: 0,
    };
    let (mut created, mut exited, mut kernel, mut user) = (zero, zero, zero, zero);
    // SAFETY: GetCurrentThread returns a pseudo-handle that needs no closing;
    // the four out-pointers are distinct locals alive for the call.
    let ok = unsafe {
        GetThreadTimes(
            GetCurrentThread(),
            &mut created,
            &mut exited,
            &mut kernel,
            &mut user,
        )
    };
    if ok == 0 {
        return Duration::ZERO;
    }
    // FILETIME counts 100-nanosecond intervals.
    let ticks = |t: FILETIME| (u64::from(t.dwHighDateTime) << 32) | u64::from(t.dwLowDateTime);
    Duration::from_nanos((ticks(kernel) + ticks(user)).saturating_mul(100))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_protected_key_comes_back_and_is_not_the_key() {
        let key = [0x5au8; 32];
        let blob = protect_for_machine(&key).unwrap();
        assert!(blob.len() > key.len());
        assert!(!blob.windows(key.len()).any(|w| w == key));
        assert_eq!(unprotect(&blob).unwrap(), key);
    }

    #[test]
    fn a_damaged_blob_is_refused() {
        let mut blob = protect_for_machine(b"secret").unwrap();
        let last = blob.len() - 1;
        blob[last] ^= 0xff;
        assert!(unprotect(&blob).is_err());
        assert!(unprotect(b"not dpapi at all").is_err());
    }

    #[test]
    fn busy_threads_use_cpu_time() {
        let before = thread_cpu_time();
        let mut x = 0u64;
        for i in 0..50_000_000u64 {
            x = std::hint::black_box(x.wrapping_mul(31).wrapping_add(i));
        }
        assert!(thread_cpu_time() > before, "{x}");
    }
}
