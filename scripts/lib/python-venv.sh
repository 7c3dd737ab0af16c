# Sourced by scripts that run a Python tool: ensure_python_venv <name> <import check> <pip requirement>...
# creates (once) a virtualenv under .cache/ with the pinned requirements and sets $venv to it.
# Test files run in parallel: one installs, the others wait for it (flock).
ensure_python_venv() {
  local name="$1" check="$2"
  shift 2
  local root
  root="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
  venv="${TRIBUTARY_CACHE_DIR:-$root/.cache}/$name"
  mkdir -p "$(dirname "$venv")"
  exec 9>"$venv.lock"
  flock 9
  if ! "$venv/bin/python" -c "$check" 2>/dev/null; then
    echo "$(basename "$0"): installing $* into $venv (once)" >&2
    python3 -m venv "$venv"
    "$venv/bin/pip" install --quiet --disable-pip-version-check "$@" >&2
  fi
  flock -u 9
  exec 9>&-
}
