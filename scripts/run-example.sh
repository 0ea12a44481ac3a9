#!/bin/sh
# Builds Gatehouse and runs it on the example config (127.0.0.1:8080 in front
# of http://127.0.0.1:9000). Ctrl-C drains and stops it.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
swift build -c release
exec .build/release/gatehouse serve --config Config/gatehouse.example.json
