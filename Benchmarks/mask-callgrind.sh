#!/usr/bin/env bash
# Instructions per request for the three configurations of
# Docs/BENCHMARKS.md, "Response masking": pass-through, the 50-rule policy
# (mask rule turned to the request direction) and the policy masking
# responses. See gateway-callgrind.sh for the method.
#
# Usage: Benchmarks/mask-callgrind.sh [GATEHOUSE_BINARY] [SECONDS]
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/.." && pwd)"
exec "$ROOT/Benchmarks/gateway-callgrind.sh" --bin "${1:-$ROOT/.build/release/gatehouse}" --seconds "${2:-20}" pass policy mask
