#!/usr/bin/env bash
# Runs Arize's official Python SDK's role_bindings calls (list by resource
# type and user, create on a space and a project, the 409 of a second
# binding, get, update, delete, and the refusals the document states) and
# its api_keys calls (personal and service keys, the keys authenticating,
# refresh with grace, revoke)
# against `arize-ax fake serve`: a second client vouching for the fake. By
# hand, not in CI: it installs `arize` 8.61+ into .venv-bench.
#   scripts/python-sdk-access.sh
set -euo pipefail
cd "$(dirname "$0")/.."
key=access-key
target=${CARGO_TARGET_DIR:-target}

venv=.venv-bench
if [ ! -x "$venv/bin/python" ] || ! "$venv/bin/python" -c 'import arize.role_bindings' 2>/dev/null; then
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'arize>=8.61,<9'
fi
echo "python SDK: arize $("$venv/bin/python" -c 'import arize.version as v; print(v.__version__)')" >&2

cargo build -q -p arize-ax-cli
out=$(mktemp)
"$target/debug/arize-ax" --quiet fake serve --api-key "$key" --port 0 --orgs 1 >"$out" &
fake=$!
trap 'kill $fake 2>/dev/null || true; rm -f "$out"' EXIT
for _ in $(seq 100); do [ -s "$out" ] && break; sleep 0.1; done
url=$(head -n 1 "$out")
port=${url##*:}
ARIZE_API_KEY=$key ARIZE_API_HOST=127.0.0.1 ARIZE_API_SCHEME=http ARIZE_API_PORT=$port \
  "$venv/bin/python" scripts/python_sdk_access.py
