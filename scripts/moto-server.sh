#!/usr/bin/env bash
# Runs moto's S3-compatible server (tests of the files connector on S3 prefixes), installing
# moto into a virtualenv under .cache/ on first use.
# Usage: scripts/moto-server.sh -H 127.0.0.1 -p <port>
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/python-venv.sh"
ensure_python_venv moto-venv 'import moto.server' 'moto[server]==5.2.5'
exec "$venv/bin/moto_server" "$@"
