#!/bin/sh
# Installs the Debian packages Gatehouse needs to build, test and benchmark,
# skipping those already present. Needs root (or sudo) on a Debian machine
# that already has the Swift toolchain.
set -eu

# nginx-light: the TLS upstream tests run a real nginx (a server Gatehouse did not write).
PACKAGES="libssl-dev libsqlite3-dev libvectorscan-dev pkg-config curl openssl python3 python3-pip nginx-light"
if [ "${1:-}" = "--bench" ]; then
  PACKAGES="$PACKAGES wrk haproxy hyperfine"
fi

missing=""
for p in $PACKAGES; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing="$missing $p"
  fi
done

if [ -n "$missing" ]; then
  SUDO=""
  [ "$(id -u)" -ne 0 ] && SUDO="sudo"
  echo "installing:$missing" >&2
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq $missing >/dev/null
fi

# Python packages used by the tests: jsonschema validates the published
# schemas; PyJWT (with cryptography) signs tokens for the identity
# interoperability test, independently of Gatehouse's own signer.
python3 -c 'import jsonschema' 2>/dev/null || python3 -m pip install -q jsonschema \
  || python3 -m pip install -q --break-system-packages jsonschema
python3 -c 'import jwt, cryptography' 2>/dev/null || python3 -m pip install -q pyjwt cryptography \
  || python3 -m pip install -q --break-system-packages pyjwt cryptography
