#!/usr/bin/env bash
# Runs every test (unit, local server, end to end with the real Pulumi engine).
# Ends with the line "N passed, N failed, N skipped". Optional argument: a regexp on the
# compiled test file paths, e.g. `bash scripts/test.sh e2e`.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
node scripts/run-tests.js "$@"
