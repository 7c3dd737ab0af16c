#!/usr/bin/env bash
# Every test of the repository, from a fresh clone (README: `npm run test:all`):
#   1. installs the npm dependencies when node_modules is missing,
#   2. brings up the local services (scripts/services.sh up: Postgres, Redis, Kafka),
#   3. static checks (typecheck, lint with module boundaries, formatting) and the build,
#   4. every jest project, unit and integration, in one run with one summary line.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export NX_DAEMON=false # one-shot runs: leave no background daemon behind
export NX_TUI=false

step() { printf '\n==> %s\n' "$*"; }

if [[ ! -x node_modules/.bin/nx ]]; then
  step 'npm ci (no node_modules yet)'
  npm ci --no-audit --no-fund
fi

step 'local services: scripts/services.sh up'
bash scripts/services.sh up

step 'typecheck, lint, build (nx)'
npx nx run-many -t typecheck lint build --output-style=static --skip-nx-cache
npx prettier --check .

mkdir -p tmp
export TRIBUTARY_JEST_SUMMARY_FILE=tmp/jest-summary.txt
rm -f "$TRIBUTARY_JEST_SUMMARY_FILE"
status=0

step 'tests: unit and integration (jest)'
npx jest -c jest.config.js --ci || status=$?

step 'tests that stop or kill shared services (serial, after everything else)'
npx jest -c jest.serial.config.js --ci || status=$?

# One total over both runs as the last line; a run that died before reporting counts as a failure.
awk -v runs=2 '{ p += $1; f += $2; s += $3; n++ }
  END { if (n < runs) f += runs - n; printf "jest: %d passed, %d failed, %d skipped\n", p, f, s }' \
  "$TRIBUTARY_JEST_SUMMARY_FILE" 2>/dev/null || echo 'jest: 0 passed, 2 failed, 0 skipped'
exit "$status"
