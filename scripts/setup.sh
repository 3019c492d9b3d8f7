#!/usr/bin/env bash
# Installs what the project needs, from its own files, and only what is missing:
# npm packages (when package-lock.json changed), a Pulumi CLI matching
# @pulumi/pulumi (built from Go modules on first use, then cached), and the
# compiled TypeScript. Safe to run again; the main job and the tests call it.
set -euo pipefail
cd "$(dirname "$0")/.."

lock_hash=$(sha256sum package-lock.json | cut -d' ' -f1)
stamp=node_modules/.installed-from-lock
if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$lock_hash" ]; then
  echo "[setup] npm ci (first run builds better-sqlite3 from source, about a minute)" >&2
  npm ci --no-audit --no-fund >&2
  echo "$lock_hash" > "$stamp"
fi

PULUMI_BRAZE_CLI_ROOT=$(node scripts/pulumi-cli.js)
export PULUMI_BRAZE_CLI_ROOT

echo "[setup] compiling TypeScript" >&2
# From scratch: tsc never removes the output of a deleted source file, and a
# stale compiled test would still run and count.
rm -rf dist
npx tsc -p tsconfig.json >&2
