#!/usr/bin/env bash
# Runs Arize's official Python SDK's audit_logs calls (filters by window,
# user, operation names and type; paging over a seeded log; the 400s) and
# its resource_restrictions calls (restrict, again, the 400 for a space's
# ID, the listing through short and empty pages, unrestrict and its 404)
# against `arize-ax fake serve`: a second client vouching for the fake. By
# hand, not in CI: it installs `arize` 8.61+ into .venv-bench.
#   scripts/python-sdk-audit.sh
set -euo pipefail
cd "$(dirname "$0")/.."
key=audit-key
hidden=120
seeded=300
target=${CARGO_TARGET_DIR:-target}

venv=.venv-bench
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import arize.audit_logs' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'arize>=8.61,<9'
fi
echo "python SDK: arize $("$venv/bin/python" -c 'import arize.version as v; print(v.__version__)')" >&2

cargo build -q -p arize-ax-cli
out=$(mktemp)
"$target/debug/arize-ax" --quiet fake serve --api-key "$key" --port 0 --orgs 1 \
  --hidden-restrictions "$hidden" --audit-entries "$seeded" >"$out" &
fake=$!
trap 'kill $fake 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -n 1 "$out")
port=${url##*:}
ARIZE_API_KEY=$key ARIZE_API_HOST=127.0.0.1 ARIZE_API_SCHEME=http ARIZE_API_PORT=$port \
  "$venv/bin/python" scripts/python_sdk_audit.py "$hidden" "$seeded"
