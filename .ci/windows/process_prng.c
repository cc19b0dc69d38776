/* TEST-ONLY SHIM, never shipped: Wine 8.0 (Debian 12) lacks
 * bcryptprimitives.dll!ProcessPrng, which every Rust executable since 1.78
 * imports for its random numbers, so nothing Rust-built starts under it
 * (exit 53, c0000135). Real Windows 10/11 has the function. This stand-in
 * forwards to RtlGenRandom (advapi32!SystemFunction036), the call Rust used
 * before. .ci/windows/prefix puts it in the Wine prefix's system32. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len)
{
    while (len > 0) {
        ULONG chunk = len > 0x10000000 ? 0x10000000 : (ULONG)len;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        len -= chunk;
    }
    return TRUE;
}
