#!/usr/bin/env bash
# The main job: set up, then `pulumi up` of the example against a local backend.
set -euo pipefail
cd "$(dirname "$0")/.."
source scripts/setup.sh
node dist/automation/main-job.js "$@"
