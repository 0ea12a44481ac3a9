#!/usr/bin/env bash
# The floor under the recorder: what SQLite alone costs for the bytes one
# recorded exchange holds, with no Gatehouse code (sqlite_floor.c). Prints,
# per configuration, the CPU time (user + system) per exchange. Compare it
# with the budget `compare.sh --with-recording` leaves: at 0.9x of recording
# off, recording may add 1/9 of the CPU a pass-through request costs the
# whole machine (Docs/BENCHMARKS.md, "The floor under the recorder").
#
# Usage: Benchmarks/sqlite-floor/run.sh [BYTES_PER_EXCHANGE [EXCHANGES]]
#   BYTES_PER_EXCHANGE defaults to 1,900: what compare.sh's exchange (GET,
#   1 KiB JSON response) takes in a block (records JSON + body).
# Databases go to .build/sqlite-floor (the disk, not tmpfs). Run it under
# `flock /tmp/gatehouse-swift-build.lock`.
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
BYTES="${1:-1900}"
TOTAL="${2:-300000}"
DIR="$ROOT/.build/sqlite-floor"
mkdir -p "$DIR"
cc -O2 -o "$DIR/sqlite_floor" "$ROOT/Benchmarks/sqlite-floor/sqlite_floor.c" -lsqlite3
echo "async: $BYTES bytes per exchange, 235 exchanges per transaction (a 5 ms batch at 47,000 exchanges/s)"
for cfg in "4096 1000" "32768 128" "65536 64" "4096 0"; do
  set -- $cfg
  for run in 1 2 3; do  # three runs: the kernel's write-back makes single runs vary by 3x; the floor is the least
    printf '  page %-6s checkpoint every %-5s pages, run %s: ' "$1" "$2" "$run"
    FLOOR_PAGE_SIZE=$1 FLOOR_AUTOCHECKPOINT=$2 "$DIR/sqlite_floor" "$DIR" async "$BYTES" 235 "$TOTAL" | sed 's/.*exchanges\/s; //'
  done
done
echo "strict (synchronous=FULL: every commit ends in fdatasync), 4 KiB pages"
for per in 1 5 20; do
  printf '  %-2s records per commit: ' "$per"
  "$DIR/sqlite_floor" "$DIR" strict "$BYTES" "$per" $((per * 3000)) | sed 's/.*exchanges\/s; //'
done
rm -f "$DIR"/floor-*.db*
