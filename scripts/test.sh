#!/bin/sh
# The whole test suite: installs what the tests need, then runs swift test.
set -eu
cd "$(dirname "$0")/.."
./scripts/install-deps.sh
# Python packages used by interoperability tests (jsonschema validates the published schemas).
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema || python3 -m pip install -q --break-system-packages jsonschema
swift build --build-tests
# All tests are XCTest; --disable-swift-testing keeps the (empty) Swift Testing
# runner from printing a misleading "0 tests" summary after the real one.
swift test --skip-build --disable-swift-testing
