#!/usr/bin/env bash
# Installs the real servers the test suite starts for itself (Debian/Ubuntu, as root):
# redis-server and sshd from apt; moto (S3) and SecantusDB (MongoDB wire protocol) from PyPI
# into a virtualenv at $MIRAGE_TEST_VENV (default ~/.cache/mirage/test-venv).
# The tests launch and stop their own servers on free 127.0.0.1 ports; they only need the
# binaries. Safe to run again: what is installed is skipped.
set -euo pipefail
VENV=${MIRAGE_TEST_VENV:-$HOME/.cache/mirage/test-venv}
need=()
command -v redis-server >/dev/null 2>&1 || need+=(redis-server)
[ -x /usr/sbin/sshd ] || need+=(openssh-server)
command -v ssh-keygen >/dev/null 2>&1 || need+=(openssh-client)
[ -x /usr/lib/openssh/sftp-server ] || need+=(openssh-sftp-server)
python3 -c 'import venv, ensurepip' >/dev/null 2>&1 || need+=(python3-venv)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
fi
if [ ! -x "$VENV/bin/moto_server" ] || [ ! -x "$VENV/bin/secantusd-py" ]; then
  mkdir -p "$(dirname "$VENV")"
  [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV"
  "$VENV/bin/pip" install -q --disable-pip-version-check 'moto[s3]' flask flask-cors SecantusDB
fi
redis-server --version
"$VENV/bin/moto_server" --help >/dev/null 2>&1 && echo "moto_server: $VENV/bin/moto_server"
echo "sshd: /usr/sbin/sshd"
