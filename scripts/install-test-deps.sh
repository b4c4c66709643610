#!/usr/bin/env bash
# Installs the real servers the test suite starts for itself (Debian/Ubuntu, as root).
# The tests launch and stop their own redis-server on a free 127.0.0.1 port; they only need
# the binary. Safe to run again: installed packages are skipped.
set -euo pipefail
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
redis-server --version
