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
npx nx run-many -t typecheck lint build --output-style=static
npx prettier --check .

step 'tests: unit and integration (jest)'
mkdir -p tmp
summary=tmp/jest-summary.txt
rm -f "$summary"
status=0
TRIBUTARY_JEST_SUMMARY_FILE=$summary npx jest -c jest.config.js --ci || status=$?
# Repeat jest's count as the last line; a run that died before reporting counts as a failure.
if [[ -s $summary ]]; then cat "$summary"; else echo 'jest: 0 passed, 1 failed, 0 skipped'; fi
exit "$status"
