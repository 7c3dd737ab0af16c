#!/usr/bin/env bash
# Reads an Iceberg table folder with PyIceberg (scripts/iceberg-read.py), installing PyIceberg
# into a virtualenv under .cache/ on first use.
# Usage: scripts/iceberg-read.sh <table folder> [--snapshot-id ID] [--rows col,col...] [--sum col]...
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
source "$root/scripts/lib/python-venv.sh"
ensure_python_venv pyiceberg-venv 'import pyiceberg, pyarrow' 'pyiceberg[pyarrow]==0.12.0' 'pyarrow==26.0.1'
exec "$venv/bin/python" "$root/scripts/iceberg-read.py" "$@"
