#!/usr/bin/env bash
# Installs the Debian packages the tests need, if missing: Chromium (browser tests through
# playwright-core), PostgreSQL (the shared provenance store) and python3-hdmf (validates written
# NWB files against their cached specifications). Needs root; idempotent.
set -euo pipefail
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
ls /usr/lib/postgresql/*/bin/postgres >/dev/null 2>&1 || need+=(postgresql)
/usr/bin/python3 -c 'import hdmf, h5py' >/dev/null 2>&1 || need+=(python3-hdmf python3-h5py)
if [ ${#need[@]} -gt 0 ]; then
  if [ "$(id -u)" != 0 ]; then
    echo "setup-system: missing ${need[*]}; run as root to install them" >&2
    exit 1
  fi
  echo "setup-system: installing ${need[*]}" >&2
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
