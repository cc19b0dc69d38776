// Included by the build scripts of the crates that link zxing-cpp (the kiosk,
// and checkpoint-domain's tests). For x86_64-pc-windows-gnu only: zxing-cpp
// 0.5's build script links the C++ standard library for Linux and Apple
// targets alone, so on mingw we name it, statically (no libstdc++-6.dll to
// ship beside the .exe). As link arguments, which come after every library:
// libstdc++ and what it needs in turn, since Rust links with -nodefaultlibs.
fn link_cxx_on_mingw() {
    let os = std::env::var("CARGO_CFG_TARGET_OS").unwrap_or_default();
    let env = std::env::var("CARGO_CFG_TARGET_ENV").unwrap_or_default();
    if os != "windows" || env != "gnu" {
        return;
    }
    for arg in [
        "-Wl,-Bstatic",
        "-lstdc++",
        "-lgcc_eh",
        "-l:libpthread.a",
        "-Wl,-Bdynamic",
        "-lmingwex",
        "-lmsvcrt",
        "-lkernel32",
    ] {
        println!("cargo:rustc-link-arg={arg}");
    }
}
