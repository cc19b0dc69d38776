#!/usr/bin/env bash
# Seeds each fuzz target's corpus from the test data (tests/data):
# DCC texts and COSE bytes, CCCD lines, and a few CKD, contact and trust-list samples.
# Usage: bash crates/domain/fuzz/seed.sh   (from the project root)
set -euo pipefail
root="$(cd "$(dirname "$0")/../../.." && pwd)"
shared="$root/tests/data"
out="$root/crates/domain/fuzz/corpus"
mkdir -p "$out"/{parse,cccd,dcc,cose,ckd,contact,trust_list}
python3 - "$shared" "$out" <<'PY'
import base64, glob, json, os, sys
shared, out = sys.argv[1], sys.argv[2]
def put(target, name, data):
    with open(os.path.join(out, target, name), "wb") as f:
        f.write(data)
for i, path in enumerate(sorted(glob.glob(os.path.join(shared, "dcc", "*", "*", "*", "*.json")))):
    try:
        v = json.load(open(path, encoding="utf-8"))
    except Exception:
        continue
    if isinstance(v.get("PREFIX"), str):
        put("dcc", f"v{i}", v["PREFIX"].encode())
        put("parse", f"dcc{i}", v["PREFIX"].encode())
    if isinstance(v.get("COSE"), str):
        try:
            put("cose", f"v{i}", bytes.fromhex(v["COSE"]))
        except ValueError:
            pass
    cert = (v.get("TESTCTX") or {}).get("CERTIFICATE")
    if isinstance(cert, str) and i % 20 == 0:
        put("trust_list", f"own{i}", json.dumps({"dsc": [{"certificate": cert, "country": "XX"}]}).encode())
        put("trust_list", f"gw{i}", json.dumps([{"kid": "AAAAAAAAAAA=", "country": "XX", "certificateType": "DSC", "rawData": cert}]).encode())
for name in ("samples.tsv", "mojibake-notes.txt"):
    for j, line in enumerate(open(os.path.join(shared, "cccd", name), encoding="utf-8")):
        if line.startswith("#") or not line.strip():
            continue
        payload = line.rstrip("\n").split("\t")[-1]
        put("cccd", f"{name}{j}", payload.encode())
        put("parse", f"{name}{j}", payload.encode())
put("contact", "mecard", "MECARD:N:Nguyễn,Văn An;TEL:+84912345678;EMAIL:an@example.org;;".encode())
put("contact", "vcard", "BEGIN:VCARD\r\nVERSION:3.0\r\nN:Lê;Hồng;;;\r\nFN:Lê Thị Hồng\r\nTEL;TYPE=CELL:0912345678\r\nADR:;;Số 1;Hà Nội;;;VN\r\nEND:VCARD".encode())
put("parse", "url", b"https://example.org/a?b=c")
PY
# CKD samples come from the kiosk's own encoder (the payload_ckd test writes them when asked).
(cd "$root" && CK_WRITE_FUZZ_SEEDS="$out/ckd" cargo test -q -p checkpoint-domain --test it payload_ckd::write_fuzz_seeds >/dev/null)
echo "seeded: $(find "$out" -type f | wc -l) files"
