# Sourced by .ci/run and .ci/test: Linux binaries linked by mold when it is
# installed (.ci/packages.sh installs it). The tests link some forty large
# binaries; GNU ld spends seconds on each, mold a fraction of one. Every
# Linux cargo command of CI must see the same flags, or the build scripts and
# proc-macros clippy built would be built again for the tests.
if command -v mold >/dev/null 2>&1; then
  export CARGO_TARGET_X86_64_UNKNOWN_LINUX_GNU_RUSTFLAGS="-C link-arg=-fuse-ld=mold"
fi
