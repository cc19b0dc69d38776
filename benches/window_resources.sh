#!/usr/bin/env bash
# CPU and memory of the kiosk window, for real, under a virtual display:
#   idle      no camera (--no-camera), welcome screen, nothing focused
#   replay30  1280x720 frames replayed at 30 fps: decoding and live preview
#   demo      the shipped demo frames (codes in them, 10 fps)
# each on the renderer the kiosk chooses by itself (`auto`: tiny-skia when
# wgpu's only adapters are software, as here; see src/renderer.rs) and on
# wgpu forced (here a software adapter: a real GPU costs the CPU less). CPU is the process's user+system time
# over a measured window after a warm-up, as a share of one core, and that of
# the decoding thread alone; RSS is VmRSS at the end and VmHWM (peak).
#
#   bash benches/window_resources.sh [SECONDS] [BINARY]
# Default: 30 s per run, target/release/checkpoint-kiosk (build it first with
# `cargo build --release`). CK_BACKENDS (auto wgpu) and CK_RUNS (idle
# replay30 demo) choose what runs.
set -euo pipefail
cd "$(dirname "$0")/.."
secs=${1:-30}
bin=${2:-target/release/checkpoint-kiosk}
[ -x "$bin" ] || { echo "build first: cargo build --release"; exit 1; }
work=$(mktemp -d)
display=:$(( 150 + RANDOM % 50 ))
Xvfb "$display" -screen 0 1280x800x24 -nolisten tcp >/dev/null 2>&1 &
xvfb=$!
pid=
trap 'kill $pid $xvfb 2>/dev/null || true; rm -rf "$work"' EXIT
sleep 1
mkdir -p "$work/frames"
cp assets/demo/*empty*.jpg "$work/frames/"
hz=$(getconf CLK_TCK)

cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }
# The decoding thread's user+system ticks (the worker names it scan-decode).
decode_ticks() {
  local t sum=0
  for t in /proc/"$1"/task/*; do
    [ "$(cat "$t/comm" 2>/dev/null)" = scan-decode ] || continue
    sum=$((sum + $(sed 's/.*) //' "$t/stat" | awk '{print $12 + $13}')))
  done
  echo "$sum"
}
rss_kb() { awk -v k="$2" '$1 == k":" {print $2}' "/proc/$1/status"; }

measure() {
  local name=$1 backend=$2; shift 2
  local data="$work/data-$name-$backend"
  if [ "$backend" = auto ]; then
    # No ICED_BACKEND: the kiosk probes and may start itself again (same pid).
    env -u ICED_BACKEND DISPLAY=$display "$bin" --data-dir "$data" "$@" >"$work/$name.log" 2>&1 &
  else
    DISPLAY=$display ICED_BACKEND=$backend "$bin" --data-dir "$data" "$@" >"$work/$name.log" 2>&1 &
  fi
  pid=$!
  sleep 10
  local t0 c0 t1 c1
  local d0 d1
  t0=$(date +%s%N); c0=$(cpu_ticks "$pid"); d0=$(decode_ticks "$pid")
  sleep "$secs"
  t1=$(date +%s%N); c1=$(cpu_ticks "$pid"); d1=$(decode_ticks "$pid")
  local rss hwm
  rss=$(rss_kb "$pid" VmRSS); hwm=$(rss_kb "$pid" VmHWM)
  kill "$pid"; wait "$pid" 2>/dev/null || true; pid=
  awk -v c="$((c1 - c0))" -v d="$((d1 - d0))" -v hz="$hz" -v ns="$((t1 - t0))" -v rss="$rss" -v hwm="$hwm" \
    -v name="$name" -v be="$backend" \
    'BEGIN { printf "%-9s %-9s CPU %5.1f%% of a core (decoding thread %4.1f%%)   RSS %4.0f MB (peak %4.0f MB)\n",
             name, be, 100 * c / hz / (ns / 1e9), 100 * d / hz / (ns / 1e9), rss / 1024, hwm / 1024 }'
}

echo "window resources, $secs s per run after 10 s warm-up; load before: $(cut -d' ' -f1-3 /proc/loadavg)"
runs=${CK_RUNS:-idle replay30 demo}
for backend in ${CK_BACKENDS:-auto wgpu}; do
  case " $runs " in *" idle "*) measure idle "$backend" --no-camera ;; esac
  case " $runs " in *" replay30 "*) measure replay30 "$backend" --replay "$work/frames" ;; esac
  case " $runs " in *" demo "*) measure demo "$backend" ;; esac
done
