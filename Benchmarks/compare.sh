#!/usr/bin/env bash
# Side-by-side pass-through benchmark: nginx, HAProxy and Gatehouse as
# reverse proxies in front of the same nginx upstream (1 KiB JSON), all on
# loopback. Prints median requests/s, p50 and p99 per proxy over several
# rounds, and each proxy's ratio to nginx. Then memory figures for
# Gatehouse: idle RSS, RSS with 10,000 idle keep-alive connections, and
# peak RSS while streaming 1 GiB through it in each direction.
#
# Usage: Benchmarks/compare.sh [--rounds N] [--duration S] [--connections C] [--skip-memory] [--with-recording]
#                               [--group-commit-delay-us N] [--page-size BYTES]
#                               [--with-tls] [--with-masking] [--with-identity] [--no-build]
#   --no-build uses the existing .build/release/gatehouse (needed when the
#   whole run is wrapped in `flock /tmp/gatehouse-swift-build.lock`, which the build would wait on).
#   --with-recording also runs Gatehouse with SQLite recording in strict and
#   in async mode (ports 19005/19006) and reports them against recording off,
#   with each gateway's CPU (user+system) per request.
#   --group-commit-delay-us N sets recording.group_commit_delay_us for the
#   recording runs (default: the gateway's, 0).
#   --page-size BYTES sets recording.page_size_bytes for the recording runs
#   (a new database per run; default: the gateway's, 4096).
#   --with-tls also measures TLS listeners: nginx and Gatehouse terminating
#   TLS with the same test certificate (ECDSA P-256, generated per run),
#   keep-alive, same plain upstream (ports 19011/19013); reported as a ratio.
#   --with-masking also runs Gatehouse with a 50-rule policy whose mask rule
#   masks responses (port 19007), on a 1 KiB JSON response holding a card
#   number, an email and an SSN, and reports it against pass-through
#   Gatehouse on the same response, in the same rounds.
#   --with-identity also runs Gatehouse requiring a bearer token (port 19009;
#   RS256, JWKS served on 19010, one token reused, so verified once and then
#   cached) and reports it against identity off. Needs PyJWT.
# Needs: wrk, nginx (nginx-light), haproxy, curl, python3; a release build
# (it runs `swift build -c release` itself).
set -euo pipefail

ROUNDS=3
DURATION=10
CONNS=64
SKIP_MEMORY=0
WITH_RECORDING=0
WITH_TLS=0
WITH_MASKING=0
WITH_IDENTITY=0
NO_BUILD=0
GROUP_COMMIT=""
PAGE_SIZE=""
while [ $# -gt 0 ]; do
  case "$1" in
    --rounds) ROUNDS="$2"; shift 2 ;;
    --duration) DURATION="$2"; shift 2 ;;
    --connections) CONNS="$2"; shift 2 ;;
    --skip-memory) SKIP_MEMORY=1; shift ;;
    --with-recording) WITH_RECORDING=1; shift ;;
    --group-commit-delay-us) GROUP_COMMIT=", \"group_commit_delay_us\": $2"; shift 2 ;;
    --page-size) PAGE_SIZE=", \"page_size_bytes\": $2"; shift 2 ;;
    --with-tls) WITH_TLS=1; shift ;;
    --with-masking) WITH_MASKING=1; shift ;;
    --with-identity) WITH_IDENTITY=1; shift ;;
    --no-build) NO_BUILD=1; shift ;;
    *) echo "unknown argument: $1" >&2; exit 2 ;;
  esac
done

ROOT="$(cd "$(dirname "$0")/.." && pwd)"
WORK="$(mktemp -d /tmp/gatehouse-bench.XXXXXX)"
chmod 755 "$WORK"  # nginx workers run as nobody and must read the bodies
LOOPS=2
UP_PORT=19000; NGINX_PORT=19001; HAPROXY_PORT=19002; GH_PORT=19003; SINK_PORT=19004
GH_STRICT_PORT=19005; GH_ASYNC_PORT=19006; GH_MASK_PORT=19007; NGINX_TLS_PORT=19011; GH_TLS_PORT=19013
GH_ID_PORT=19009; JWKS_PORT=19010
PIDS=()
cleanup() {
  for p in "${PIDS[@]:-}"; do kill "$p" 2>/dev/null || true; done
  [ -f "$WORK/up.pid" ] && kill "$(cat "$WORK/up.pid")" 2>/dev/null || true
  [ -f "$WORK/px.pid" ] && kill "$(cat "$WORK/px.pid")" 2>/dev/null || true
  sleep 0.3
  rm -rf "$WORK"
}
trap cleanup EXIT

for tool in wrk nginx haproxy curl python3; do
  command -v "$tool" >/dev/null || { echo "missing $tool (apt-get install wrk nginx-light haproxy curl)" >&2; exit 1; }
done

if [ "$NO_BUILD" = 0 ]; then
  echo "building gatehouse (release)..." >&2
  (cd "$ROOT" && ./scripts/swift-locked build -c release >/dev/null)
fi
GH_BIN="$ROOT/.build/release/gatehouse"

# shellcheck source=lib/upstream.sh
. "$ROOT/Benchmarks/lib/upstream.sh"
write_bench_body "$WORK/body.json"
truncate -s 1G "$WORK/big.bin"
# One throwaway certificate for both TLS listeners (never a real credential).
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -keyout "$WORK/tls.key" \
  -out "$WORK/tls.pem" -days 2 -subj /CN=localhost -addext "subjectAltName=DNS:localhost,IP:127.0.0.1" 2>/dev/null
chmod 644 "$WORK/tls.key"
# 1 KiB of JSON with three values the masking policy redacts, and the policy.
mkdir -p "$WORK/policies"
python3 "$ROOT/Benchmarks/mask_fixtures.py" "$WORK/pii.json" "$WORK/policies/10-bench.json"

write_upstream_conf "$WORK/upstream.conf" "$WORK" "$UP_PORT" \
  "location = /big { alias $WORK/big.bin; }" \
  "location = /pii { default_type application/json; alias $WORK/pii.json; }" \
  "location = /ok { return 204; }"

cat > "$WORK/proxy.conf" <<NGX
worker_processes 2;
pid $WORK/px.pid;
error_log $WORK/px-error.log;
events { worker_connections 20000; }
http {
  access_log off;
  upstream up { server 127.0.0.1:$UP_PORT; keepalive 256; }
  server {
    listen 127.0.0.1:$NGINX_PORT backlog=4096;
    keepalive_requests 1000000;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
  server {
    listen 127.0.0.1:$NGINX_TLS_PORT ssl backlog=4096;
    ssl_certificate $WORK/tls.pem;
    ssl_certificate_key $WORK/tls.key;
    ssl_protocols TLSv1.2 TLSv1.3;
    keepalive_requests 1000000;
    location / { proxy_pass http://up; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
NGX

cat > "$WORK/haproxy.cfg" <<HAP
global
  nbthread 2
  maxconn 8000
defaults
  mode http
  timeout connect 5s
  timeout client 60s
  timeout server 60s
  http-reuse always
frontend fe
  bind 127.0.0.1:$HAPROXY_PORT
  default_backend be
backend be
  server up 127.0.0.1:$UP_PORT
HAP

cat > "$WORK/gatehouse.json" <<GH
{
  "loops": $LOOPS,
  "access_log": false,
  "limits": { "max_connections": 20000, "max_body_bytes": 2147483648 },
  "identity": { "mode": "off" },
  "listeners": [
    { "address": "127.0.0.1", "port": $GH_PORT },
    { "name": "tls", "address": "127.0.0.1", "port": $GH_TLS_PORT,
      "tls": { "certificate": "$WORK/tls.pem", "private_key": "$WORK/tls.key" } }
  ],
  "routes": [
    { "name": "bench", "upstream": "http://127.0.0.1:$UP_PORT" },
    { "name": "sink", "path_prefix": "/sink", "upstream": "http://127.0.0.1:$SINK_PORT" }
  ]
}
GH

for mode in strict async; do
  port=$GH_STRICT_PORT; [ "$mode" = async ] && port=$GH_ASYNC_PORT
  cat > "$WORK/gatehouse-$mode.json" <<GH
{
  "loops": $LOOPS,
  "access_log": false,
  "limits": { "max_connections": 20000 },
  "identity": { "mode": "off" },
  "listeners": [ { "address": "127.0.0.1", "port": $port } ],
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP_PORT" } ],
  "recording": { "path": "$WORK/audit-$mode.db", "durability": "$mode"$GROUP_COMMIT$PAGE_SIZE }
}
GH
done

cat > "$WORK/gatehouse-mask.json" <<GH
{
  "loops": $LOOPS,
  "access_log": false,
  "limits": { "max_connections": 20000 },
  "identity": { "mode": "off" },
  "listeners": [ { "address": "127.0.0.1", "port": $GH_MASK_PORT } ],
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP_PORT" } ],
  "policy_dir": "$WORK/policies"
}
GH

if [ "$WITH_IDENTITY" = 1 ]; then
  mkdir -p "$WORK/jwks"
  BENCH_TOKEN="$(python3 "$ROOT/Benchmarks/identity_token.py" "$WORK/jwks" "http://127.0.0.1:$JWKS_PORT")"
  cat > "$WORK/gatehouse-identity.json" <<GH
{
  "loops": $LOOPS,
  "access_log": false,
  "limits": { "max_connections": 20000 },
  "listeners": [ { "address": "127.0.0.1", "port": $GH_ID_PORT } ],
  "identity": { "issuers": { "bench": {
    "issuer": "http://127.0.0.1:$JWKS_PORT", "audiences": ["gatehouse"],
    "jwks_uri": "http://127.0.0.1:$JWKS_PORT/jwks.json" } } },
  "routes": [ { "name": "bench", "upstream": "http://127.0.0.1:$UP_PORT",
                "identity": { "required_scopes": ["bench"], "forward_headers": { "subject": "X-Gatehouse-Subject" } } } ]
}
GH
fi

ulimit -n "$(ulimit -Hn)" 2>/dev/null || true
nginx -c "$WORK/upstream.conf"
nginx -c "$WORK/proxy.conf"
setsid python3 "$ROOT/Benchmarks/sink_server.py" "$SINK_PORT" </dev/null &
PIDS+=("$!")
haproxy -f "$WORK/haproxy.cfg" -D -p "$WORK/haproxy.pid"
PIDS+=("$(cat "$WORK/haproxy.pid")")
# setsid: nginx and HAProxy daemonize into their own sessions, and with
# sched_autogroup each session is scheduled as one group. Started as a plain
# child, Gatehouse would share a group (and so a CPU share) with wrk.
setsid "$GH_BIN" serve --config "$WORK/gatehouse.json" >/dev/null 2>"$WORK/gh.err" </dev/null &
GH_PID=$!
PIDS+=("$GH_PID")
if [ "$WITH_RECORDING" = 1 ]; then
  for mode in strict async; do
    setsid "$GH_BIN" serve --config "$WORK/gatehouse-$mode.json" >/dev/null 2>"$WORK/gh-$mode.err" </dev/null &
    PIDS+=("$!")
    declare "GH_${mode^^}_PID=$!"
  done
fi
if [ "$WITH_MASKING" = 1 ]; then
  setsid "$GH_BIN" serve --config "$WORK/gatehouse-mask.json" >/dev/null 2>"$WORK/gh-mask.err" </dev/null &
  GH_MASK_PID=$!
  PIDS+=("$GH_MASK_PID")
fi
if [ "$WITH_IDENTITY" = 1 ]; then
  setsid python3 -m http.server --bind 127.0.0.1 --directory "$WORK/jwks" "$JWKS_PORT" >/dev/null 2>&1 </dev/null &
  PIDS+=("$!")
  setsid "$GH_BIN" serve --config "$WORK/gatehouse-identity.json" >/dev/null 2>"$WORK/gh-identity.err" </dev/null &
  PIDS+=("$!")
fi
for port in $UP_PORT $NGINX_PORT $HAPROXY_PORT $GH_PORT; do
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
done

run_wrk() {  # port [path [header]] -> "rps p50_ms p99_ms non2xx"; TLS ports are reached over https
  local scheme=http
  local hdr=()
  [ $# -ge 3 ] && [ -n "$3" ] && hdr=(-H "$3")
  if [ "$1" = "$NGINX_TLS_PORT" ] || [ "$1" = "$GH_TLS_PORT" ]; then scheme=https; fi
  wrk -t2 -c"$CONNS" -d"${DURATION}s" --latency "${hdr[@]}" "$scheme://127.0.0.1:$1${2:-/}" 2>/dev/null | python3 -c '
import sys, re
text = sys.stdin.read()
def ms(label):
    m = re.search(r"^\s*" + label + r"\s+([\d.]+)(us|ms|s)\s*$", text, re.M)
    if not m: return float("nan")
    v, u = float(m.group(1)), m.group(2)
    return v / 1000 if u == "us" else v * 1000 if u == "s" else v
rps = re.search(r"Requests/sec:\s+([\d.]+)", text)
errs = re.search(r"Non-2xx or 3xx responses: (\d+)", text)
print(rps.group(1) if rps else "nan", ms("50%"), ms("99%"), errs.group(1) if errs else 0)
'
}

declare -A RESULTS
NAMES=(nginx haproxy gatehouse)
declare -A PORTS=([nginx]=$NGINX_PORT [haproxy]=$HAPROXY_PORT [gatehouse]=$GH_PORT
                  [gh-strict]=$GH_STRICT_PORT [gh-async]=$GH_ASYNC_PORT
                  [gh-pii]=$GH_PORT [gh-mask]=$GH_MASK_PORT
                  [nginx-tls]=$NGINX_TLS_PORT [gh-tls]=$GH_TLS_PORT [gh-identity]=$GH_ID_PORT)
declare -A PATHS=([gh-pii]=/pii [gh-mask]=/pii)
declare -A HEADERS=()
if [ "$WITH_TLS" = 1 ]; then
  NAMES+=(nginx-tls gh-tls)
  for port in $NGINX_TLS_PORT $GH_TLS_PORT; do
    for _ in $(seq 1 50); do curl -kfs -o /dev/null "https://127.0.0.1:$port/" && break; sleep 0.1; done
  done
fi
if [ "$WITH_RECORDING" = 1 ]; then
  NAMES+=(gh-strict gh-async)
  for port in $GH_STRICT_PORT $GH_ASYNC_PORT; do
    for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$port/" && break; sleep 0.1; done
  done
fi
if [ "$WITH_MASKING" = 1 ]; then
  NAMES+=(gh-pii gh-mask)
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$GH_MASK_PORT/pii" && break; sleep 0.1; done
  MASKED=$(curl -fsS "http://127.0.0.1:$GH_MASK_PORT/pii")
  case "$MASKED" in
    *4111*|*alice@*|*536-22*) echo "masking gateway returned an unmasked body: $MASKED" >&2; exit 1 ;;
    *'[REDACTED:credit_card]'*) ;;
    *) echo "masking gateway did not mask: $MASKED" >&2; exit 1 ;;
  esac
fi
if [ "$WITH_IDENTITY" = 1 ]; then
  NAMES+=(gh-identity)
  HEADERS[gh-identity]="Authorization: Bearer $BENCH_TOKEN"
  for _ in $(seq 1 50); do
    curl -fs -o /dev/null -H "${HEADERS[gh-identity]}" "http://127.0.0.1:$GH_ID_PORT/" && break; sleep 0.1
  done
  # Without the token the route must refuse: the figure is for verified requests.
  [ "$(curl -s -o /dev/null -w '%{http_code}' "http://127.0.0.1:$GH_ID_PORT/")" = 401 ] || { echo "identity route did not answer 401 without a token" >&2; exit 1; }
fi
for name in "${NAMES[@]}"; do run_wrk "${PORTS[$name]}" "${PATHS[$name]:-/}" "${HEADERS[$name]:-}" >/dev/null; done  # warm-up
cpu_ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }  # utime + stime
declare -A CPU_PID=([gh-pii]=$GH_PID [gh-mask]=${GH_MASK_PID:-0})
if [ "$WITH_RECORDING" = 1 ]; then CPU_PID+=([gatehouse]=$GH_PID [gh-strict]=$GH_STRICT_PID [gh-async]=$GH_ASYNC_PID); fi
declare -A CPU
for round in $(seq 1 "$ROUNDS"); do
  for name in "${NAMES[@]}"; do
    pid=${CPU_PID[$name]:-}
    [ -n "$pid" ] && t0=$(cpu_ticks "$pid")
    r=$(run_wrk "${PORTS[$name]}" "${PATHS[$name]:-/}" "${HEADERS[$name]:-}")
    RESULTS[$name]+="$r;"
    if [ -n "$pid" ]; then  # gateway CPU (user+system) per request in this round
      CPU[$name]+="$(python3 -c "print(($(cpu_ticks "$pid") - $t0) / $(getconf CLK_TCK) * 1e6 / (float('${r%% *}') * $DURATION))") "
    fi
  done
done

echo
echo "pass-through, $CONNS connections, ${DURATION}s x $ROUNDS rounds (medians), upstream: nginx 1 KiB JSON"
ARGS=()
for name in "${NAMES[@]}"; do ARGS+=("$name=${RESULTS[$name]}"); done
[ "$WITH_MASKING" = 1 ] && ARGS+=("cpu:gh-pii=${CPU[gh-pii]}" "cpu:gh-mask=${CPU[gh-mask]}")
[ "$WITH_RECORDING" = 1 ] && ARGS+=("cpu:gatehouse=${CPU[gatehouse]}" "cpu:gh-strict=${CPU[gh-strict]}" "cpu:gh-async=${CPU[gh-async]}")
python3 - "${ARGS[@]}" <<'PY'
import sys, statistics
pairs = [a.split("=", 1) for a in sys.argv[1:] if not a.startswith("cpu:")]
cpu = {a.split("=", 1)[0][4:]: [float(x) for x in a.split("=", 1)[1].split()] for a in sys.argv[1:] if a.startswith("cpu:")}
names = [p[0] for p in pairs]
rows = {}
for name, raw in pairs:
    runs = [list(map(float, r.split())) for r in raw.strip(";").split(";") if r.strip()]
    rows[name] = [statistics.median(col) for col in zip(*runs)]
base = rows["nginx"]
print(f"{'proxy':<10} {'req/s':>10} {'p50 ms':>8} {'p99 ms':>8} {'non-2xx':>8} {'rps/nginx':>10} {'p99/nginx':>10}")
for n in names:
    rps, p50, p99, errs = rows[n]
    print(f"{n:<10} {rps:>10.0f} {p50:>8.2f} {p99:>8.2f} {errs:>8.0f} {rps/base[0]:>10.2f} {p99/base[2]:>10.2f}")
if "gh-tls" in rows:
    print()
    print(f"TLS listeners: gatehouse {rows['gh-tls'][0]/rows['nginx-tls'][0]:.2f}x nginx req/s, "
          f"p99 {rows['gh-tls'][2]/rows['nginx-tls'][2]:.2f}x nginx")
if "gh-identity" in rows:
    off = rows["gatehouse"]
    on = rows["gh-identity"]
    print()
    print("identity (cached RS256 token) against identity off:")
    print(f"  gh-identity {on[0]/off[0]:>5.2f}x req/s of off, p99 {on[2]/off[2]:>5.2f}x")
if "gh-strict" in rows:
    off = rows["gatehouse"][0]
    print()
    print("recording (SQLite) against recording off:")
    for n in ("gh-strict", "gh-async"):
        print(f"  {n:<10} {rows[n][0]/off:>5.2f}x of off")
    if cpu.get("gatehouse") and cpu.get("gh-async"):
        o, s, a = (statistics.median(cpu[k]) for k in ("gatehouse", "gh-strict", "gh-async"))
        print(f"  gateway CPU per request (user+system, median): off {o:.1f} us, strict {s:.1f} us, async {a:.1f} us")
if "gh-mask" in rows:
    print()
    print("response masking (50-rule policy, 1 KiB JSON with a card, an email and an SSN; gh-pii: same response, no policy):")
    print(f"  gh-mask    {rows['gh-mask'][0]/rows['gh-pii'][0]:>5.2f}x of pass-through req/s, p99 {rows['gh-mask'][2]/rows['gh-pii'][2]:.2f}x")
    if cpu.get("gh-pii") and cpu.get("gh-mask"):
        p, m = statistics.median(cpu["gh-pii"]), statistics.median(cpu["gh-mask"])
        print(f"  gateway CPU per request (user+system, median): pass-through {p:.1f} us, masking {m:.1f} us ({m/p:.2f}x)")
PY

if [ "$SKIP_MEMORY" = 1 ]; then exit 0; fi

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }
hwm() { awk '/^VmHWM/ {print $2}' "/proc/$1/status"; }
restart_gatehouse() {  # fresh process, so each figure is its own high-water mark
  kill "$GH_PID" 2>/dev/null || true; wait "$GH_PID" 2>/dev/null || true
  setsid "$GH_BIN" serve --config "$WORK/gatehouse.json" >/dev/null 2>"$WORK/gh.err" </dev/null &
  GH_PID=$!; PIDS+=("$GH_PID")
  for _ in $(seq 1 50); do curl -fs -o /dev/null "http://127.0.0.1:$GH_PORT/" && break; sleep 0.1; done
}
echo
echo "gatehouse memory ($LOOPS loops)"
restart_gatehouse
IDLE=$(rss "$GH_PID")
echo "  idle RSS (after one request):          $((IDLE / 1024)) MiB ($IDLE KiB)"
python3 "$ROOT/Benchmarks/idle_connections.py" --port "$GH_PORT" --count 10000 --hold 3 --pid "$GH_PID" > "$WORK/idle.txt"
HELD=$(cat "$WORK/idle.txt")
echo "  RSS with 10,000 idle keep-alive conns: $((HELD / 1024)) MiB (+$(((HELD - IDLE) / 1024)) MiB)"
restart_gatehouse
curl -sS -o /dev/null -w "  (download: HTTP %{http_code}, %{size_download} bytes, %{time_total}s)\n" "http://127.0.0.1:$GH_PORT/big"
DOWN=$(hwm "$GH_PID")
echo "  peak RSS during a 1 GiB download:      $((DOWN / 1024)) MiB"
restart_gatehouse
head -c 1073741824 /dev/zero | curl -sS -o /dev/null -w "  (upload: HTTP %{http_code}, %{size_upload} bytes, %{time_total}s)\n" -X POST -H 'Content-Type: application/octet-stream' -T - "http://127.0.0.1:$GH_PORT/sink" || true
UP=$(hwm "$GH_PID")
echo "  peak RSS during a 1 GiB chunked upload: $((UP / 1024)) MiB"
