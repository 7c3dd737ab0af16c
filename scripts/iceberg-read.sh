#!/usr/bin/env bash
# Reads an Iceberg table folder with PyIceberg (scripts/iceberg-read.py), installing PyIceberg
# into a virtualenv under .cache/ on first use.
# Usage: scripts/iceberg-read.sh <table folder> [--snapshot-id ID] [--rows col,col...] [--sum col]...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
venv="${TRIBUTARY_CACHE_DIR:-$root/.cache}/pyiceberg-venv"
mkdir -p "$(dirname "$venv")"
# Test files run in parallel: one installs, the others wait for it.
exec 9>"$venv.lock"
flock 9
if ! "$venv/bin/python" -c 'import pyiceberg, pyarrow' 2>/dev/null; then
  echo "iceberg-read: installing PyIceberg into $venv (once)" >&2
  python3 -m venv "$venv"
  "$venv/bin/pip" install --quiet --disable-pip-version-check 'pyiceberg[pyarrow]==0.12.0' 'pyarrow==26.0.1' >&2
fi
flock -u 9
exec "$venv/bin/python" "$root/scripts/iceberg-read.py" "$@"
