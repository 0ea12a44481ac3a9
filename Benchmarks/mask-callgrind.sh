#!/usr/bin/env bash
# Instructions per request of the gateway under callgrind (stable on a
# shared machine, unlike requests/s), for the three configurations of
# Docs/BENCHMARKS.md, "Response masking": pass-through, the 50-rule policy
# of `compare.sh --with-masking` with its mask rule turned to the request
# direction (policy evaluated, nothing masked), and the same policy masking
# responses. Same upstream document as compare.sh (1 KiB JSON holding a
# card number, an email and an SSN). One loop, wrk with 4 connections; the
# count covers only the wrk run (instrumentation is switched on after a
# warm-up and off before the dump).
#
# Usage: Benchmarks/mask-callgrind.sh [GATEHOUSE_BINARY] [SECONDS]
#   GATEHOUSE_BINARY defaults to .build/release/gatehouse; valgrind 3.19
#   cannot read Swift 6's DWARF 5, so the script strips a copy first.
# Needs: valgrind (callgrind_control, callgrind_annotate), nginx, wrk, curl.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
BIN=${1:-$ROOT/.build/release/gatehouse}
DUR=${2:-20}
UP=19301; GH=19302
W="$(mktemp -d /tmp/gatehouse-mask-cg.XXXXXX)"
chmod 755 "$W"
mkdir -p "$W/policies" "$W/policies-req"
objcopy --strip-debug "$BIN" "$W/gatehouse"
python3 "$ROOT/Benchmarks/mask_fixtures.py" "$W/pii.json" "$W/policies/10-bench.json"
sed 's/"direction": "response"/"direction": "request"/' "$W/policies/10-bench.json" > "$W/policies-req/10-bench.json"
cat > "$W/up.conf" <<NGX
worker_processes 1;
pid $W/up.pid;
error_log $W/up-error.log;
events { worker_connections 2000; }
http { access_log off;
  server { listen 127.0.0.1:$UP; keepalive_requests 1000000;
    location = /pii { default_type application/json; alias $W/pii.json; } } }
NGX
nginx -c "$W/up.conf"
trap 'kill "$(cat "$W/up.pid")" 2>/dev/null || true' EXIT
for mode in pass policy mask; do
  case $mode in
    pass) pol="" ;;
    policy) pol=", \"policy_dir\": \"$W/policies-req\"" ;;
    mask) pol=", \"policy_dir\": \"$W/policies\"" ;;
  esac
  cat > "$W/gh-$mode.json" <<GH
{ "loops": 1, "access_log": false, "identity": { "mode": "off" },
  "listeners": [ { "address": "127.0.0.1", "port": $GH } ],
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP" } ] $pol }
GH
  valgrind --tool=callgrind --callgrind-out-file="$W/cg.$mode" --instr-atstart=no \
    "$W/gatehouse" serve --config "$W/gh-$mode.json" > "$W/gh-$mode.log" 2>&1 &
  VP=$!
  for _ in $(seq 1 100); do curl -fs -o /dev/null "http://127.0.0.1:$GH/pii" && break; sleep 0.3; done
  if [ "$mode" = mask ]; then
    case "$(curl -fsS "http://127.0.0.1:$GH/pii")" in
      *'[REDACTED:credit_card]'*) ;;
      *) echo "the masking gateway did not mask" >&2; exit 1 ;;
    esac
  fi
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$GH/pii"; done  # warm-up
  callgrind_control -i on "$VP" > /dev/null 2>&1
  wrk -t1 -c4 -d"${DUR}s" --timeout 10s "http://127.0.0.1:$GH/pii" > "$W/wrk-$mode.txt" 2>&1 || true
  callgrind_control -i off "$VP" > /dev/null 2>&1
  callgrind_control -d "$VP" > /dev/null 2>&1
  kill "$VP"; wait "$VP" 2>/dev/null || true
  reqs=$(awk '/requests in/ {print $1}' "$W/wrk-$mode.txt")
  f=$(ls "$W"/cg."$mode".* | head -1)
  total=$(callgrind_annotate "$f" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
  echo "$mode: $reqs requests, $total instructions, $((total / reqs)) per request (profile: $f)"
done
