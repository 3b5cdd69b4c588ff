#!/usr/bin/env bash
# Times the same workloads (get by ID, get by name, list all) with Arize's
# official Python SDK and with arize-ax, against one fake server, and prints
# the ratios. Creates its own venv (.venv-bench) with `arize` 8.x from PyPI.
#   scripts/compare-python-sdk.sh [ORGS] [ITERATIONS]
set -euo pipefail
cd "$(dirname "$0")/.."
orgs=${1:-1000}
iterations=${2:-30}
key=compare-key

venv=.venv-bench
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import arize' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'arize>=8,<9'
fi
echo "python SDK: arize $("$venv/bin/python" -c 'import arize.version as v; print(v.__version__)')" >&2

cargo build -q --release -p arize-ax-cli
cargo build -q --release -p arize-ax --example workloads
out=$(mktemp)
target/release/arize-ax --api-key "$key" --quiet fake serve --port 0 --orgs "$orgs" >"$out" &
fake=$!
trap 'kill $fake 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -n 1 "$out")
port=${url##*:}
echo "fake server at $url with $orgs organizations" >&2

ours=$(target/release/examples/workloads "$url" "$key" "$iterations")
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
