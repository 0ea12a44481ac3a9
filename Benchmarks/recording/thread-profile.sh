#!/usr/bin/env bash
# Where a recording mode spends the gateway's CPU, per thread and per
# request: one wrk run against Gatehouse (2 loops) in front of nginx serving
# the 1 KiB JSON body of compare.sh, then per thread the CPU (user and
# system, µs per request), voluntary context switches and system calls per
# request. For the figures in Docs/BENCHMARKS.md, "Strict recording: what a
# commit wait costs".
#
# Usage: Benchmarks/recording/thread-profile.sh MODE [SECONDS]
#   MODE: off | strict | async. Environment:
#   CONNECTIONS (64), RECORDING_JSON (extra keys for the "recording" object,
#   e.g. '"group_commit_delay_us": 500'), GATEHOUSE (the binary; default
#   .build/release/gatehouse), SYSCALLS=1 (also count system calls per thread
#   and per call for 3 s with `perf stat`/`perf record`; needs root),
#   PROFILE=FILE (also sample the whole machine for 3 s with `perf record -a
#   -g`, cpu-clock, into FILE: where the CPU goes by process and symbol,
#   kernel included; needs root).
# Ports 19331/19332. Run it under `flock /tmp/gatehouse-swift-build.lock`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
MODE="${1:?usage: thread-profile.sh off|strict|async [SECONDS]}"
SECONDS_RUN="${2:-8}"
CONNECTIONS="${CONNECTIONS:-64}"
BIN="${GATEHOUSE:-$ROOT/.build/release/gatehouse}"
UP_PORT=19331
GH_PORT=19332
WORK="$(mktemp -d /tmp/gatehouse-threads.XXXXXX)"
GH_PID=""
cleanup() {
  [ -n "$GH_PID" ] && kill "$GH_PID" 2>/dev/null || true
  [ -f "$WORK/up.pid" ] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT

# shellcheck source=../lib/upstream.sh
. "$ROOT/Benchmarks/lib/upstream.sh"
write_bench_body "$WORK/body.json"
write_upstream_conf "$WORK/up.conf" "$WORK" "$UP_PORT"
RECORDING=""
if [ "$MODE" != off ]; then
  RECORDING=", \"recording\": { \"path\": \"$WORK/audit.db\", \"durability\": \"$MODE\"${RECORDING_JSON:+, $RECORDING_JSON} }"
fi
cat > "$WORK/gh.json" <<GH
{ "loops": 2, "access_log": false, "limits": { "max_connections": 20000 }, "identity": { "mode": "off" },
  "listeners": [ { "address": "127.0.0.1", "port": $GH_PORT } ],
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP_PORT" } ] $RECORDING }
GH
nginx -c "$WORK/up.conf"
setsid "$BIN" serve --config "$WORK/gh.json" >/dev/null 2>"$WORK/gh.err" </dev/null &
GH_PID=$!
for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$GH_PORT/" && break; sleep 0.1; done
wrk -t2 -c"$CONNECTIONS" -d2s "http://127.0.0.1:$GH_PORT/" >/dev/null   # warm-up

snapshot() {  # per thread: name utime stime voluntary-switches
  for t in /proc/"$GH_PID"/task/*; do
    echo "$(cat "$t/comm") $(awk '{print $14, $15}' "$t/stat") $(awk '/^voluntary_ctxt_switches/ {print $2}' "$t/status")"
  done | sort
}
if [ "${SYSCALLS:-}" = 1 ]; then
  (sleep 2; perf record -q -e raw_syscalls:sys_enter -p "$GH_PID" -o "$WORK/sys.data" -- sleep 3 >/dev/null 2>&1) &
  PERF_PID=$!
fi
if [ -n "${PROFILE:-}" ]; then
  (sleep 2; perf record -q -a -g -e cpu-clock -o "$PROFILE" -- sleep 3 >/dev/null 2>&1) &
  PROFILE_PID=$!
fi
snapshot > "$WORK/before"
wrk --latency -t2 -c"$CONNECTIONS" -d"${SECONDS_RUN}s" "http://127.0.0.1:$GH_PORT/" > "$WORK/wrk.txt"
snapshot > "$WORK/after"
grep -E "Requests/sec|Latency| 50%| 99%" "$WORK/wrk.txt"
RPS=$(awk '/Requests\/sec/ {print $2}' "$WORK/wrk.txt")
TICK=$(getconf CLK_TCK)
echo "mode $MODE, $CONNECTIONS connections; per request:"
join "$WORK/before" "$WORK/after" | awk -v rps="$RPS" -v secs="$SECONDS_RUN" -v tick="$TICK" '
  { n = rps * secs; u = ($5 - $2) / tick * 1e6 / n; s = ($6 - $3) / tick * 1e6 / n; c = ($7 - $4) / n
    if (u + s + c > 0) printf "  %-16s user %5.1f us  sys %5.1f us  switches %.2f\n", $1, u, s, c
    tu += u; ts += s }
  END { printf "  %-16s user %5.1f us  sys %5.1f us  total %.1f us\n", "gateway", tu, ts, tu + ts }'
[ -n "${PROFILE:-}" ] && wait "$PROFILE_PID"
if [ "${SYSCALLS:-}" = 1 ]; then
  wait "$PERF_PID"
  echo "system calls per request (3 s sample), by thread and call number:"
  perf script -i "$WORK/sys.data" -F comm,trace 2>/dev/null \
    | awk -v n="$(awk -v r="$RPS" 'BEGIN {print r * 3}')" '{c[$1" "$3]++} END {for (k in c) if (c[k] / n >= 0.01) printf "  %-22s %.2f\n", k, c[k] / n}' \
    | sort -k1,1 -k3,3nr
fi
