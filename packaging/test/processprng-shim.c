/*
 * Test-only stand-in for bcryptprimitives.dll, for running the Windows build under Debian 12's
 * wine 8.0, which lacks that DLL. Rust's standard library (and getrandom) take their random
 * bytes from its ProcessPrng; this one fills the buffer from advapi32's RtlGenRandom
 * (SystemFunction036), which wine has.
 *
 * .ci/release builds it with mingw-w64 and copies it beside the unpacked .exe in a test folder
 * only. It is never put in a release archive: real Windows (10 and later) has the DLL.
 */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length)
{
    while (length > 0) {
        ULONG chunk = length > 0x10000000 ? 0x10000000 : (ULONG)length;
        if (!SystemFunction036(data, chunk))
            return FALSE;
        data += chunk;
        length -= chunk;
    }
    return TRUE;
}
