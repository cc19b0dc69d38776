#!/usr/bin/env bash
# Installs the Debian/Ubuntu packages the build, the tests and the window need.
# Idempotent: does nothing when they are all present.
set -euo pipefail

PACKAGES=(
  # build: C/C++ for SQLCipher (its crypto: libssl-dev's libcrypto), zxing-cpp; bindgen for nokhwa;
  # D-Bus for btleplug; mold links the test binaries (.ci/linker.sh)
  build-essential pkg-config cmake nasm libclang-dev libssl-dev libdbus-1-dev libasound2-dev ca-certificates
  mold
  # the window under a virtual display, screenshots, fonts
  xvfb xauth libx11-xcb1 libxcursor1 libxi6 libxrandr2 libxkbcommon-x11-0 imagemagick x11-utils xdotool
  matchbox-window-manager
  # tests: a private D-Bus with a fake BlueZ, a real PostgreSQL
  dbus python3-dbus python3-dbusmock python3-gi postgresql
  # tests: a pseudo-terminal pair playing a serial-mode scanner
  socat
  # tests: the hub's console in a real browser (WebDriver)
  chromium chromium-driver
  # tests: the phone page behind its shipped proxy configuration (.ci/phone-proxy)
  nginx-light
  # the package test (.ci/deb): dpkg-shlibdeps for cargo-deb, TLS requests, systemd-analyze
  dpkg-dev curl systemd
)

missing=()
for p in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
[ ${#missing[@]} -eq 0 ] && exit 0

SUDO=""
[ "$(id -u)" -ne 0 ] && SUDO="sudo"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
