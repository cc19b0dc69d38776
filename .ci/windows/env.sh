# Sourced by the Windows stages: Debian's Rust 1.96 (cargo-web, rustc-web) and
# the standard library built from rust-web-src for x86_64-pc-windows-gnu, C and
# C++ from mingw-w64's posix-thread compilers (zxing-cpp uses std::mutex).
# rustup's toolchain stays the default for everything else: only this stage's
# PATH puts Debian's first.
WIN_TARGET=x86_64-pc-windows-gnu
WIN_TOOLS="$(pwd)/target/windows/tools"
mkdir -p "$WIN_TOOLS"
ln -sf /usr/bin/cargo "$WIN_TOOLS/cargo"
ln -sf /usr/bin/rustc "$WIN_TOOLS/rustc"
ln -sf /usr/bin/rustdoc "$WIN_TOOLS/rustdoc"
export PATH="$WIN_TOOLS:$PATH"
export RUSTC_BOOTSTRAP=1
# The Linux stages' linker flags (.ci/linker.sh) stay out: the build and the
# tests of this stage must build their host tools alike.
unset CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS
export CARGO_TARGET_DIR="$(pwd)/target/windows"
export CC_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-posix
export CXX_x86_64_pc_windows_gnu=x86_64-w64-mingw32-g++-posix
export AR_x86_64_pc_windows_gnu=x86_64-w64-mingw32-gcc-ar-posix
export CARGO_TARGET_X86_64_PC_WINDOWS_GNU_LINKER=x86_64-w64-mingw32-gcc-posix
WIN_CARGO_FLAGS=(-Zbuild-std --target "$WIN_TARGET")
# Crates that are slow to build and not exercised under Wine (the GPU stack:
# the Wine tests draw with tiny-skia) or not at any speed that matters there
# (the xlsx writer, criterion) are built unoptimised: half their build time.
for crate in naga wgpu-core wgpu-hal ash windows rust_xlsxwriter criterion; do
  WIN_CARGO_FLAGS+=(--config "profile.dev.package.\"$crate\".opt-level=0")
done
# What is built and tested for Windows (.ci/windows/build, .ci/windows/test):
# the kiosk and the crates under it; the hub is a Linux server.
WIN_TEST_PACKAGES=(-p checkpoint-domain -p checkpoint-wire -p checkpoint-store -p checkpoint-win32 -p checkpoint-kiosk)
