#!/usr/bin/env bash
# Shows that a change of the upstream spec reaches the hand-written code.
#
# For each variant below, in a scratch copy of this working tree: change the
# vendored upstream document, run `arize-ax spec sync`, then `cargo check` the
# facade and the fake. A variant either flows through with no code change (a
# renamed path is simply used: the end-to-end walkthrough still passes against
# the fake, which routes from the same spec) or fails to compile at the field
# in question. Prints one line per variant; exits 1 if any variant does
# otherwise.
#
#   scripts/drift-reaches-facade.sh [path/to/python-with-pyyaml]
#
# Builds in CARGO_TARGET_DIR (default: ./target/drift): keep it apart from
# the main build's, so crates built from a changed spec are never reused for
# the real one.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD
python=${1:-python3}
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-$root/target/drift}"
"$python" -c 'import yaml' 2>/dev/null || {
  echo "$python cannot import yaml (PyYAML); pass a Python that can" >&2
  exit 2
}

scratch=$(mktemp -d)
trap "rm -rf \"$scratch\"" EXIT
upstream=openapi/upstream/arize-v2-organizations.openapi.yaml

# name | expectation (compiles | fails) | text the compiler's errors must show | mutation (Python on `doc`)
variants=(
  "response field removed|fails|created_at|s = doc['components']['schemas']['Organization']; del s['properties']['created_at']"
  "field type changed|fails|name|doc['components']['schemas']['Organization']['properties']['name'] = {'type': 'integer'}"
  "response field made required|fails|description|doc['components']['schemas']['Organization']['required'] = ['description']"
  "path renamed|compiles||doc['paths']['/v2/organizations/{org_id}/members'] = doc['paths'].pop('/v2/organizations/{org_id}/users')"
  "new required request field|fails|region|s = doc['components']['schemas']['CreateOrganizationRequest']; s['properties']['region'] = {'type': 'string'}; s['required'].append('region')"
)

# Copies the working tree (not target/ or venvs) into $1: the files git
# tracks or would track when this is the top of a git work tree, or else
# (CI's lone copy, which lies inside another checkout's target/) everything
# but build output.
copy_tree() {
  local top
  top=$(git rev-parse --show-toplevel 2>/dev/null || true)
  if [ "$top" = "$(pwd -P)" ]; then
    git ls-files -z --cached --others --exclude-standard \
      | tar --null --ignore-failed-read -T - -cf - 2>/dev/null \
      | tar -xf - -C "$1"
  else
    tar --exclude=./target --exclude='./.venv*' --exclude=./.git -cf - . | tar -xf - -C "$1"
  fi
}

failed=0
for variant in "${variants[@]}"; do
  IFS='|' read -r name expect needle mutation <<<"$variant"
  copy="$scratch/repo"
  rm -rf "$copy"
  mkdir -p "$copy"
  copy_tree "$copy"
  "$python" - "$copy/$upstream" "$copy/upstream.json" "$mutation" <<'PY'
import json, sys, yaml
src, dst, mutation = sys.argv[1], sys.argv[2], sys.argv[3]
doc = yaml.safe_load(open(src))
exec(mutation)
json.dump(doc, open(dst, "w"), indent=2)
PY
  log="$scratch/$name.log"
  (
    cd "$copy"
    cargo run -q --locked -p arize-ax-cli -- spec sync --upstream upstream.json >/dev/null
    cmp -s "$root/openapi/arize-v2-organizations.openapi.json" \
      openapi/arize-v2-organizations.openapi.json && {
      echo "spec sync changed nothing" >&2
      exit 3
    }
    cargo check -q --locked -p arize-ax -p arize-ax-fake --message-format short 2>&1
  ) >"$log" 2>&1 && compiled=yes || compiled=no
  if grep -q "spec sync changed nothing" "$log"; then
    echo "FAIL  $name: the mutation did not change the derived spec"
    failed=1
    continue
  fi
  case "$expect:$compiled" in
    compiles:yes)
      # The facade follows: the walkthrough runs against the fake, both
      # speaking the changed spec.
      if (cd "$copy" && cargo test --locked -p arize-ax --test tests \
            end_to_end::e2e::the_whole_walkthrough -- --exact >>"$log" 2>&1) \
         && grep -q "test result: ok. 1 passed" "$log"; then
        echo "ok    $name: no code change needed; the end-to-end walkthrough passes on the new path"
      else
        echo "FAIL  $name: it compiles, but the walkthrough fails (see below)"
        tail -30 "$log"
        failed=1
      fi
      ;;
    fails:no)
      # Each error names file:line:col; the code at that place must be the
      # field the variant changed.
      hit=""
      seen=""
      while IFS=: read -r file line _; do
        crate=${file#crates/}
        crate=${crate%%/*}
        case " $seen " in *" $crate "*) continue ;; esac
        code=$(sed -n "${line}p" "$copy/$file" | sed 's/^ *//')
        if grep -q -- "$needle" <<<"$code$(grep -F "$file:$line:" "$log")"; then
          hit="$hit
        $file:$line: $code"
          seen="$seen $crate"
        fi
      done < <(grep -E '^crates/[^:]+:[0-9]+:[0-9]+: error' "$log" || true)
      if [ -n "$hit" ]; then
        echo "ok    $name: cargo check fails at the field ($needle) in:$hit"
      else
        echo "FAIL  $name: cargo check fails, but not at \`$needle\`:"
        head -20 "$log"
        failed=1
      fi
      ;;
    compiles:no)
      echo "FAIL  $name: expected to compile unchanged, but:"
      head -20 "$log"
      failed=1
      ;;
    fails:yes)
      echo "FAIL  $name: the hand-written code still compiles: drift would go unnoticed"
      failed=1
      ;;
  esac
done
exit $failed
