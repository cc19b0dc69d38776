#!/usr/bin/env bash
# What the Windows build and its tests need, from Debian 12's packages
# (beside rustup's toolchain, which stays the default): Debian's Rust 1.96
# with the standard library's source of the same version (std is built for
# x86_64-pc-windows-gnu), mingw-w64's posix-thread C and C++ compilers, Wine
# to run the tests, msitools' wixl for the installer, socat for the COM port.
# About 350 MB to download. Idempotent.
set -euo pipefail
PACKAGES=(rustc-web cargo-web rust-web-src gcc-mingw-w64-x86-64-posix g++-mingw-w64-x86-64-posix
  wine wine64 wixl msitools socat imagemagick xvfb openssl)
missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
# Only the matched pair builds std from that source (rustup's toolchains fail
# in `core`): cargo-web's rustc and rust-web-src must be the same version.
rustc_v=$(dpkg-query -W -f='${Version}' rustc-web)
src_v=$(dpkg-query -W -f='${Version}' rust-web-src)
[ "$rustc_v" = "$src_v" ] || { echo "rustc-web $rustc_v and rust-web-src $src_v differ"; exit 1; }
