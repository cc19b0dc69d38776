#!/usr/bin/env python3
"""The peer decoder (PyPI zxing-cpp) on the same images as benches/scan_engine.rs.

Usage: qr_peers.py CORPUS_DIR FRAMES_DIR  -> one JSON object on stdout.
CPU time per image is the thread's CPU time around the decoder call only,
with zxing-cpp's default options restricted to QR codes and plain text: grey
pixels in (a numpy array made before the clock starts, which the binding reads
without a copy), results out, as the Rust side times its engine.
"""
import glob
import json
import os
import statistics
import sys
import time

import zxingcpp
from PIL import Image

try:
    import numpy
except ImportError:  # the binding also takes PIL images (with a copy)
    numpy = None


def grey_pixels(img):
    return numpy.asarray(img) if numpy is not None else img


def peer_version():
    """The installed zxing-cpp (the module itself has no __version__)."""
    try:
        from importlib.metadata import version
        return version("zxing-cpp")
    except Exception:
        return getattr(zxingcpp, "__version__", "?")


def cpu_ms(fn):
    t0 = time.thread_time_ns()
    out = fn()
    return out, (time.thread_time_ns() - t0) / 1e6


def read(img):
    return zxingcpp.read_barcodes(img, formats=zxingcpp.BarcodeFormat.QRCode, text_mode=zxingcpp.TextMode.Plain)


def matches(text, expected):
    return text == expected or (expected.endswith("\n") and text == expected[:-1])


def p95(values):
    values = sorted(values)
    return values[round((len(values) - 1) * 0.95)] if values else None


def corpus(root):
    ok = wrong = total = 0
    times = []
    for path in sorted(glob.glob(os.path.join(root, "**", "*.png"), recursive=True)):
        txt = path[:-4] + ".txt"
        if not os.path.exists(txt):
            continue
        expected = open(txt, "rb").read().decode("utf-8", "replace")
        grey = Image.open(path).convert("L")
        for deg in (0, 90, 180, 270):
            img = grey_pixels(grey.rotate(-deg, expand=True) if deg else grey)
            res, ms = cpu_ms(lambda: read(img))
            times.append(ms)
            total += 1
            texts = [r.text for r in res]
            if any(matches(t, expected) for t in texts):
                ok += 1
            elif texts:
                wrong += 1
    return {"version": peer_version(), "ok": ok, "wrong": wrong, "total": total,
            "rate": ok / max(total, 1), "median_cpu_ms": statistics.median(times), "p95_cpu_ms": p95(times)}


def frames(root):
    groups = {}
    for path in sorted(glob.glob(os.path.join(root, "*.png"))):
        size, kind, _ = os.path.basename(path).split("-")
        label = f"{size}_{'one_code' if kind == 'code' else 'no_code'}"
        img = grey_pixels(Image.open(path).convert("L"))
        for _ in range(5):
            res, ms = cpu_ms(lambda: read(img))
            g = groups.setdefault(label, {"times": [], "read": 0, "n": 0})
            g["times"].append(ms)
            g["read"] += bool(res)
            g["n"] += 1
    return {k: {"median_cpu_ms": statistics.median(g["times"]), "p95_cpu_ms": p95(g["times"]),
                "read_rate": g["read"] / g["n"]} for k, g in groups.items()}


if __name__ == "__main__":
    print(json.dumps({"corpus": corpus(sys.argv[1]), "frames": frames(sys.argv[2])}))
