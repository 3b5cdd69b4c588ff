#!/usr/bin/env bash
# Times the same workloads (get by ID, get by name, list all) with Arize's
# official Python SDK and with arize-ax, against one fake server, and prints
# the ratios; then adds USERS users to an organization on a fake that answers
# after 20 ms and accepts 40 requests a second (429 past it), with each.
# Creates its own venv (.venv-bench) with `arize` 8.x from PyPI.
#   scripts/compare-python-sdk.sh [ORGS] [ITERATIONS] [USERS]
set -euo pipefail
cd "$(dirname "$0")/.."
orgs=${1:-1000}
iterations=${2:-30}
users=${3:-1000}
key=compare-key
target=${CARGO_TARGET_DIR:-target}

venv=.venv-bench
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import arize' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'arize>=8,<9'
fi
echo "python SDK: arize $("$venv/bin/python" -c 'import arize.version as v; print(v.__version__)')" >&2

cargo build -q --release -p arize-ax-cli
cargo build -q --release -p arize-ax --example workloads
out=$(mktemp)
# Starts a fake server with the given flags; sets $url and $port.
serve() {
  "$target/release/arize-ax" --quiet fake serve --api-key "$key" --port 0 "$@" >"$out" &
  fake=$!
  for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
  url=$(head -n 1 "$out")
  port=${url##*:}
}
out=$(mktemp)
fake=
trap 'kill $fake 2>/dev/null || true; rm -f "$out"' EXIT
serve --orgs "$orgs"
echo "fake server at $url with $orgs organizations" >&2

ours=$("$target/release/examples/workloads" "$url" "$key" "$iterations")
theirs=$(ARIZE_API_KEY=$key ARIZE_API_HOST=127.0.0.1 ARIZE_API_SCHEME=http ARIZE_API_PORT=$port \
  "$venv/bin/python" scripts/python_sdk_workloads.py "$iterations")

python3 - "$ours" "$theirs" <<'PY'
import json, sys
ours, theirs = json.loads(sys.argv[1]), json.loads(sys.argv[2])
print(f"| workload ({ours['organizations']} organizations) | arize-ax (Rust) | arize (Python) | Python / Rust |")
print("|---|---|---|---|")
for key, name in [("get_by_id_ms", "get by ID"), ("get_by_name_ms", "get by name"), ("list_all_ms", "list all")]:
    print(f"| {name} | {ours[key]:.2f} ms | {theirs[key]:.2f} ms | {theirs[key] / ours[key]:.1f}× |")
PY

# Bulk adds at the service's pace: a fresh fake for each side.
ids=$(mktemp)
bulk() {
  kill "$fake" 2>/dev/null || true
  serve --orgs 1 --users "$users" --rate-limit 40 --burst 40 --latency 20
  api=(--api-key "$key" --base-url "$url" --quiet)
  org=$("$target/release/arize-ax" orgs list -o csv "${api[@]}" | tail -n 1 | cut -d, -f1)
  "$target/release/arize-ax" users list --all --email user -o csv "${api[@]}" | tail -n +2 | cut -d, -f1 >"$ids"
  sleep 1.5 # let the bucket refill after the look-ups
}
bulk
now() { python3 -c 'import time; print(time.time())'; }
start=$(now)
rust_failed=$("$target/release/arize-ax" orgs add-users "$org" --role member --from "$ids" "${api[@]}" 2>&1 >/dev/null \
  | sed -n 's/.*; \([0-9]*\) failed.*/\1/p')
rust_seconds=$(python3 -c "print($(now) - $start)")
bulk
python_json=$(ARIZE_API_KEY=$key ARIZE_API_HOST=127.0.0.1 ARIZE_API_SCHEME=http ARIZE_API_PORT=$port \
  "$venv/bin/python" scripts/python_sdk_bulk_add.py "$org" "$ids")
python3 - "$users" "$rust_seconds" "${rust_failed:-0}" "$python_json" <<'PY'
import json, sys
users, rust_s, rust_failed, py = int(sys.argv[1]), float(sys.argv[2]), int(sys.argv[3]), json.loads(sys.argv[4])
ideal = users / 40
print()
print(f"| add {users} users, 40 requests/s, 20 ms latency | time | time / ideal ({ideal:.1f} s) | failed adds |")
print("|---|---|---|---|")
print(f"| arize-ax `orgs add-users` (adaptive) | {rust_s:.2f} s | {rust_s / ideal:.2f}× | {rust_failed} |")
print(f"| arize (Python), one add_user after another | {py['seconds']:.2f} s | {py['seconds'] / ideal:.2f}× | {py['failed']} |")
if py.get("first_error"):
    print(f"\nFirst Python failure: {py['first_error']}")
PY
rm -f "$ids"
