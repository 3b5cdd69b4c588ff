#!/usr/bin/env bash
# Side by side with Arize's own CLI, `ax` (PyPI arize-ax-cli 0.39.0), against
# one `arize-ax fake serve`, both configured by the same `ax` profile in a
# temporary HOME:
#
# 1. whole-process wall time and peak RSS of the same commands in both
#    tools, medians of RUNS runs (default 7), alternating, as a Markdown table
#    with ratios (BENCHMARKS.md, table 8);
# 2. `ax`'s organizations, users, spaces, roles, role-bindings and api-keys commands working against
#    the fake (a second official client vouching for it); the effects
#    `arize-ax` can read back (created, updated and deleted organizations,
#    users, spaces and roles) are checked with it.
#
# Run by hand from the repository root (needs the network for pip once):
#   scripts/compare-ax-cli.sh
# `ax` is installed into a venv outside the repository (AX_VENV, default
# ~/.cache/arize-ax-compare/venv). Nothing here runs in CI.
set -euo pipefail

RUNS="${RUNS:-7}"
AX_VERSION="0.39.0"
VENV="${AX_VENV:-$HOME/.cache/arize-ax-compare/venv}"
ROOT="$(cd "$(dirname "$0")/.." && pwd)"

if [[ ! -x "$VENV/bin/ax" ]] || ! "$VENV/bin/ax" --version | grep -q "$AX_VERSION"; then
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "arize-ax-cli==$AX_VERSION"
fi
AX="$VENV/bin/ax"

cargo build --quiet --release -p arize-ax-cli --manifest-path "$ROOT/Cargo.toml"
OURS="${CARGO_TARGET_DIR:-$ROOT/target}/release/arize-ax"

WORK="$(mktemp -d)"
FAKE_PID=""
cleanup() {
  [[ -n "$FAKE_PID" ]] && kill "$FAKE_PID" 2>/dev/null || true
  rm -rf "$WORK"
}
trap cleanup EXIT

KEY="compare-$RANDOM$RANDOM"
"$OURS" fake serve --api-key "$KEY" --orgs 200 --users 60 --quiet > "$WORK/url" &
FAKE_PID=$!
for _ in $(seq 50); do [[ -s "$WORK/url" ]] && break; sleep 0.1; done
URL="$(head -1 "$WORK/url")"
PORT="${URL##*:}"

# One profile, written the way `ax profiles create` writes it, read by both.
export HOME="$WORK/home"
mkdir -p "$HOME/.arize/profiles"
cat > "$HOME/.arize/profiles/fake.toml" <<EOF
[profile]
name = "fake"

[auth]
auth_method = "api-key"
api_key = "\${COMPARE_KEY}"

[routing]
single_host = "127.0.0.1"
single_port = "$PORT"
api_scheme = "http"
EOF
chmod 600 "$HOME/.arize/profiles/fake.toml"
echo fake > "$HOME/.arize/.active_profile"
export COMPARE_KEY="$KEY" COLUMNS=160 DISABLE_PRERELEASE_WARNING=true

json() { python3 -c "import json,sys; d=json.load(sys.stdin); print($1)"; }
USER_ID="$("$OURS" users list --status active -o json | json "[u['id'] for u in d if u['role']['name']=='MEMBER'][0]")"

# label | ax command | arize-ax command
CASES=(
  "orgs list --limit 100 -o json|organizations list --limit 100 -o json|orgs list --limit 100 -o json"
  "orgs get NAME|organizations get org-00150|orgs get org-00150"
  "users list|users list|users list"
  "add a user to an organization|organizations add-user org-00001 --user-id $USER_ID --role MEMBER|orgs add-user org-00001 $USER_ID --role member"
)

measure() { # prints "seconds max_rss_kib" for one run of the command
  python3 - "$WORK/stderr" "$@" <<'PY' || { echo "failed: $*" >&2; cat "$WORK/stderr" >&2; exit 1; }
import subprocess, sys, time
# Peak RSS from GNU time (a small C parent, so nothing of Python's memory is
# counted); wall time here, to the microsecond.
err, rss = open(sys.argv[1], "w"), sys.argv[1] + ".rss"
start = time.perf_counter()
code = subprocess.call(["/usr/bin/time", "-f", "%M", "-o", rss, *sys.argv[2:]],
                       stdout=subprocess.DEVNULL, stderr=err)
elapsed = time.perf_counter() - start
if code != 0:
    sys.exit(1)
print(f"{elapsed:.6f} {open(rss).read().split()[-1]}")
PY
}
median() { sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "## 8. against Arize's \`ax\` CLI ($AX_VERSION): whole processes, medians of $RUNS runs"
echo
echo "| command | \`ax\` time | \`arize-ax\` time | ratio | \`ax\` peak RSS | \`arize-ax\` peak RSS | ratio |"
echo "|---|---|---|---|---|---|---|"
for case in "${CASES[@]}"; do
  IFS='|' read -r label ax_args our_args <<< "$case"
  read -ra ax_argv <<< "$ax_args"
  read -ra our_argv <<< "$our_args"
  measure "$AX" "${ax_argv[@]}" > /dev/null   # warm the file cache
  measure "$OURS" "${our_argv[@]}" > /dev/null
  : > "$WORK/ax"; : > "$WORK/ours"
  for _ in $(seq "$RUNS"); do
    measure "$AX" "${ax_argv[@]}" >> "$WORK/ax"
    measure "$OURS" "${our_argv[@]}" >> "$WORK/ours"
  done
  ax_t=$(cut -d' ' -f1 "$WORK/ax" | median); our_t=$(cut -d' ' -f1 "$WORK/ours" | median)
  ax_m=$(cut -d' ' -f2 "$WORK/ax" | median); our_m=$(cut -d' ' -f2 "$WORK/ours" | median)
  awk -v l="$label" -v at="$ax_t" -v ot="$our_t" -v am="$ax_m" -v om="$our_m" 'BEGIN {
    printf "| %s | %.2f s | %.1f ms | %.0f× faster | %.1f MiB | %.1f MiB | %.1f× less |\n",
      l, at, ot * 1000, at / ot, am / 1024, om / 1024, am / om }'
done
echo

echo "## \`ax\` $AX_VERSION against the fake"
echo
check() { # description, then the ax command; the command must exit 0
  local what="$1"; shift
  if "$AX" "$@" > "$WORK/out" 2> "$WORK/err"; then
    echo "- ok: $what"
  else
    echo "- FAILED: $what (ax $*)"; sed 's/^/    /' "$WORK/err"; exit 1
  fi
}
expect() { # a Python expression over `arize-ax`'s JSON in d, then its command
  local expr="$1"; shift
  local got; got="$("$OURS" "$@" -o json | json "$expr")"
  [[ "$got" == "True" ]] || { echo "- FAILED: arize-ax $* does not show it ($expr)"; exit 1; }
}
check "organizations list" organizations list --limit 5 -o json
check "organizations get by name" organizations get org-00002 -o json
check "organizations create" organizations create --name ax-made --description "by ax" -o json
expect "d['description']=='by ax'" orgs get ax-made
check "organizations update" organizations update ax-made --description "changed by ax" -o json
expect "d['description']=='changed by ax'" orgs get ax-made
check "organizations add-user" organizations add-user ax-made --user-id "$USER_ID" --role READ_ONLY -o json
check "organizations remove-user" organizations remove-user ax-made --user-id "$USER_ID" --force
check "spaces list" spaces list --limit 5 -o json
check "users list" users list --limit 5 -o json
check "users get by email" users get alice@example.com -o json
check "users create (email link)" users create --full-name "Ax Person" --email ax.person@example.com --role MEMBER --invite-mode EMAIL_LINK -o json
expect "d['status']=='INVITED'" users get ax.person@example.com
NEW_ID="$("$OURS" users get ax.person@example.com -o json | json "d['id']")"
check "users update" users update "$NEW_ID" --full-name "Ax Renamed" -o json
expect "d['name']=='Ax Renamed'" users get "$NEW_ID"
check "users resend-invitation" users resend-invitation "$NEW_ID"
check "users reset-password" users reset-password "$USER_ID"
check "users delete" users delete --id "$NEW_ID" --force
if "$OURS" users get "$NEW_ID" -o json 2>/dev/null | json "d['status'] in ('ACTIVE','INVITED')" 2>/dev/null | grep -q True; then
  echo "- FAILED: the deleted user is still there"; exit 1
fi
# Spaces and roles: ax's commands, and arize-ax reading the effects back.
AX_ORG_ID="$("$OURS" orgs get ax-made -o json | json "d['id']")"
check "spaces create" spaces create --name ax-space --organization-id "$AX_ORG_ID" --description "by ax" -o json
expect "d['description']=='by ax'" spaces get ax-space --org ax-made
check "spaces get by name" spaces get ax-space -o json
check "spaces update" spaces update ax-space --name ax-space-2 --description "changed by ax" -o json
expect "d['description']=='changed by ax'" spaces get ax-space-2 --org ax-made
check "organizations add-user (for the space)" organizations add-user ax-made --user-id "$USER_ID" --role MEMBER -o json
check "spaces add-user" spaces add-user ax-space-2 --user-id "$USER_ID" --role READ_ONLY -o json
check "roles list" roles list -o json
check "roles create" roles create --name "Ax Auditor" --permissions PROJECT_READ,DATASET_READ --description "by ax" -o json
expect "sorted(d['permissions'])==['DATASET_READ','PROJECT_READ']" roles get "Ax Auditor"
check "roles get by name" roles get "Ax Auditor" -o json
check "roles update" roles update "Ax Auditor" --permissions USER_READ -o json
expect "d['permissions']==['USER_READ']" roles get "Ax Auditor"
# Role bindings: by IDs only in ax; arize-ax finds them by names.
SPACE_ID="$("$OURS" spaces get ax-space-2 --org ax-made -o json | json "d['id']")"
ROLE_ID="$("$OURS" roles get "Ax Auditor" -o json | json "d['id']")"
ADMIN_ID="$("$OURS" roles get ADMIN -o json | json "d['id']")"
check "role-bindings create" role-bindings create --user-id "$USER_ID" --role-id "$ROLE_ID" --resource-type SPACE --resource-id "$SPACE_ID" -o json
expect "len(d)==1 and d[0]['role_id']=='$ROLE_ID'" role-bindings list --user "$USER_ID" --space ax-space-2 --org ax-made --all
BINDING_ID="$("$OURS" role-bindings list --user "$USER_ID" --space ax-space-2 --org ax-made -o json | json "d[0]['id']")"
check "role-bindings list" role-bindings list --resource-type SPACE --user-id "$USER_ID" -o json
check "role-bindings get" role-bindings get "$BINDING_ID" -o json
check "role-bindings update" role-bindings update "$BINDING_ID" --role-id "$ADMIN_ID" -o json
expect "d['role_id']=='$ADMIN_ID'" role-bindings get "$BINDING_ID"
check "role-bindings delete" role-bindings delete "$BINDING_ID" --force
if "$OURS" role-bindings get "$BINDING_ID" > /dev/null 2>&1; then echo "- FAILED: the binding still exists"; exit 1; fi
# API keys: ax's commands; arize-ax reads the keys back (never a secret).
check "api-keys create --env-file" api-keys create --name ax-key --description "by ax" --env-file "$WORK/.env" -o json
grep -q '^ARIZE_API_KEY=' "$WORK/.env" || { echo "- FAILED: ax wrote no ARIZE_API_KEY"; exit 1; }
expect "len([k for k in d if k['name']=='ax-key'])==1" api-keys list --all
AX_KEY_ID="$("$OURS" api-keys list -o json | json "[k for k in d if k['name']=='ax-key'][0]['id']")"
check "api-keys list" api-keys list -o json
check "api-keys create-service-key" api-keys create-service-key --name ax-bot --assignments "[{\"org_id\":\"$AX_ORG_ID\",\"spaces\":[{\"space\":\"$SPACE_ID\",\"role\":\"READ_ONLY\"}]}]" -o json
expect "len(d)==1 and d[0]['name']=='ax-bot' and d[0]['key_type']=='SERVICE'" api-keys list --space ax-space-2 --org ax-made
check "api-keys list --key-type USER" api-keys list --key-type USER -o json
check "api-keys refresh" api-keys refresh "$AX_KEY_ID" --grace-period-seconds 60 -o json
check "api-keys revoke" api-keys revoke "$AX_KEY_ID" --force
expect "any(k['id']=='$AX_KEY_ID' for k in d)" api-keys list --status revoked --all
BOT_KEY_ID="$("$OURS" api-keys list --space ax-space-2 --org ax-made -o json | json "d[0]['id']")"
check "api-keys revoke (service key)" api-keys revoke "$BOT_KEY_ID" --force
check "spaces remove-user" spaces remove-user ax-space-2 --user-id "$USER_ID" --force
check "roles delete" roles delete "Ax Auditor" --force
if "$OURS" roles get "Ax Auditor" > /dev/null 2>&1; then echo "- FAILED: the role still exists"; exit 1; fi
check "spaces delete" spaces delete ax-space-2 --force
if "$OURS" spaces get ax-space-2 --org ax-made > /dev/null 2>&1; then echo "- FAILED: ax-space-2 still exists"; exit 1; fi
check "organizations delete" organizations delete ax-made --force
if "$OURS" orgs get ax-made > /dev/null 2>&1; then echo "- FAILED: ax-made still exists"; exit 1; fi
echo
echo "Each command exited 0; the organizations, users, spaces, roles, role bindings and API keys it created, changed or deleted were read back with arize-ax from the same fake."
