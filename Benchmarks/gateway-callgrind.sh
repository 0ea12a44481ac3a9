#!/usr/bin/env bash
# Instructions per request of the gateway under callgrind: stable on a
# shared machine, unlike requests/s. One loop, wrk with 4 connections; the
# count covers only the wrk run (instrumentation is switched on after a
# warm-up and off before the dump). Each mode is a separate gateway process
# on the same nginx upstream:
#
#   pass        pass-through of the 1 KiB PII document (/pii)
#   policy      the 50-rule policy of `compare.sh --with-masking`, its mask
#               rule turned to the request direction (evaluated, nothing masked)
#   mask        the same policy masking responses
#   rec-async   pass-through of compare.sh's 1 KiB document (/) with SQLite
#               recording, durability async
#   rec-strict  the same, durability strict
#   rec-off     the same document (/) without recording (the rec-* baseline)
#
# For the rec-* modes the script also prints the writer's share: the
# inclusive count of `RecordWriter.run` and of the syncer thread.
#
# Usage: Benchmarks/gateway-callgrind.sh [--bin GATEHOUSE] [--seconds S] MODE...
#   GATEHOUSE defaults to .build/release/gatehouse; valgrind 3.19 cannot read
#   Swift 6's DWARF 5, so the script strips a copy first.
# Needs: valgrind (callgrind_control, callgrind_annotate), nginx, wrk, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN=$ROOT/.build/release/gatehouse
DUR=20
MODES=()
while [ $# -gt 0 ]; do
  case "$1" in
    --bin) BIN="$2"; shift 2 ;;
    --seconds) DUR="$2"; shift 2 ;;
    pass|policy|mask|rec-async|rec-strict|rec-off) MODES+=("$1"); shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done
[ ${#MODES[@]} -gt 0 ] || { echo "usage: $0 [--bin GATEHOUSE] [--seconds S] pass|policy|mask|rec-off|rec-async|rec-strict..." >&2; exit 2; }
UP=19301; GH=19302
W="$(mktemp -d /tmp/gatehouse-cg.XXXXXX)"
chmod 755 "$W"
mkdir -p "$W/policies" "$W/policies-req"
objcopy --strip-debug "$BIN" "$W/gatehouse"
python3 "$ROOT/Benchmarks/mask_fixtures.py" "$W/pii.json" "$W/policies/10-bench.json"
sed 's/"direction": "response"/"direction": "request"/' "$W/policies/10-bench.json" > "$W/policies-req/10-bench.json"
# shellcheck source=lib/upstream.sh
. "$ROOT/Benchmarks/lib/upstream.sh"
write_bench_body "$W/body.json"
write_upstream_conf "$W/up.conf" "$W" "$UP" \
  "location = /pii { default_type application/json; alias $W/pii.json; }"
nginx -c "$W/up.conf"
trap 'kill "$(cat "$W/up.pid")" 2>/dev/null || true' EXIT
for mode in "${MODES[@]}"; do
  extra=""; path=/pii
  case $mode in
    pass) ;;
    policy) extra=", \"policy_dir\": \"$W/policies-req\"" ;;
    mask) extra=", \"policy_dir\": \"$W/policies\"" ;;
    rec-off) path=/ ;;
    rec-async|rec-strict)
      path=/
      extra=", \"recording\": { \"path\": \"$W/audit-$mode.db\", \"durability\": \"${mode#rec-}\" }" ;;
  esac
  cat > "$W/gh-$mode.json" <<GH
{ "loops": 1, "access_log": false, "identity": { "mode": "off" },
  "listeners": [ { "address": "127.0.0.1", "port": $GH } ],
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP" } ] $extra }
GH
  valgrind --tool=callgrind --callgrind-out-file="$W/cg.$mode" --instr-atstart=no \
    "$W/gatehouse" serve --config "$W/gh-$mode.json" > "$W/gh-$mode.log" 2>&1 &
  VP=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$GH$path" && break; sleep 0.3; done
  if [ "$mode" = mask ]; then
    case "$(curl -fsS "http://127.0.0.1:$GH/pii")" in
      *'[REDACTED:credit_card]'*) ;;
      *) echo "the masking gateway did not mask" >&2; exit 1 ;;
    esac
  fi
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$GH$path"; done  # warm-up
  callgrind_control -i on "$VP" > /dev/null 2>&1
  wrk -t1 -c4 -d"${DUR}s" --timeout 10s "http://127.0.0.1:$GH$path" > "$W/wrk-$mode.txt" 2>&1 || true
  callgrind_control -i off "$VP" > /dev/null 2>&1
  callgrind_control -d "$VP" > /dev/null 2>&1
  kill "$VP"; wait "$VP" 2>/dev/null || true
  reqs=$(awk '/requests in/ {print $1}' "$W/wrk-$mode.txt")
  f=$(ls "$W"/cg."$mode".* | head -1)
  total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$mode: $reqs requests, $total instructions, $((total / reqs)) per request (profile: $f)"
  case $mode in
    rec-async|rec-strict)
      callgrind_annotate --inclusive=yes "$f" 2>/dev/null | awk -v r="$reqs" '
        /RecordWriter[^ ]*3run5queue/ && !w { gsub(",", "", $1); w = $1 }
        /WALSyncer[^ ]*3run/ && !s { gsub(",", "", $1); s = $1 }
        END { printf "  writer thread (RecordWriter.run): %d per request; syncer: %d per request\n", w / r, s / r }' ;;
  esac
done
