#!/usr/bin/env bash
# Runs a representative part of the tests against another @pulumi/pulumi than
# the one package-lock.json pins, to prove the peer range package.json states:
# CI runs it for the lowest version the range allows and the newest 3.x the
# registry serves. The repository, its lock and its node_modules are left as
# they are: the SDK is installed (with whatever dependency versions the
# registry serves today, as a user's install would get) into a scratch folder,
# next to a copy of the compiled package whose node_modules links every other
# package to the repository's.
#
# The Pulumi CLI stays the one scripts/pulumi-cli.js provides for the pinned
# SDK: users pair CLIs and SDKs of different versions all the time (the engine
# and the SDK speak a versioned gRPC protocol), so what varies here is the SDK
# the program and the provider load, which is all the package's code touches.
#
# Usage: bash scripts/sdk-range.sh VERSION [PATTERN]
#   PATTERN: a regexp on the compiled test paths, as for scripts/run-tests.js.
#   Ends with run-tests.js's line "N passed, N failed, N skipped".
# Expects dist/ to be compiled (scripts/setup.sh); finds the CLI itself.
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)

version=${1:?usage: bash scripts/sdk-range.sh VERSION [PATTERN]}
# The SDK patches' own tests, and the end-to-end runs of a user set with the
# patches on (the shipped path) and off (the fallback).
pattern=${2:-'(unit/(protobuf-strings|received-chunks|uncopied-messages|unread-old-inputs|sdk-patches)|e2e/(user-sets|sdk-patches-off))\.test'}

if [ ! -d dist ]; then
  echo "[sdk-range] dist/ is missing: run scripts/setup.sh (or npx tsc -p tsconfig.json) first" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
PULUMI_BRAZE_CLI_ROOT=${PULUMI_BRAZE_CLI_ROOT:-$(node scripts/pulumi-cli.js | tail -1)}
export PULUMI_BRAZE_CLI_ROOT

scratch=${SDK_RANGE_DIR:-${TMPDIR:-/tmp}/braze-profiles-sdk-range}/$version
sdk=$scratch/sdk
copy=$scratch/package
if [ ! -f "$sdk/node_modules/@pulumi/pulumi/package.json" ]; then
  echo "[sdk-range] installing @pulumi/pulumi@$version into $sdk" >&2
  rm -rf "$sdk"
  mkdir -p "$sdk"
  echo '{ "private": true }' > "$sdk/package.json"
  # No install scripts: the SDK needs none, and the repository runs none it has not allowed.
  (cd "$sdk" && npm install --no-audit --no-fund --no-package-lock --ignore-scripts --loglevel=error "@pulumi/pulumi@$version" >&2)
fi
installed=$(node -p "require('$sdk/node_modules/@pulumi/pulumi/package.json').version")
if [ "$installed" != "$version" ]; then
  echo "[sdk-range] $sdk holds @pulumi/pulumi $installed, not $version" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi

# The package as a user installs it (package.json for its name and exports,
# dist/, schema/) plus the test runner; a fresh copy each run.
rm -rf "$copy"
mkdir -p "$copy/node_modules/@pulumi"
cp -R package.json dist schema scripts "$copy/"
for entry in node_modules/* node_modules/.bin; do
  case "$entry" in
    node_modules/@pulumi) ;;
    *) ln -s "$repo/$entry" "$copy/$entry" ;;
  esac
done
# Node resolves the SDK's own dependencies from its real folder, so the program,
# the provider and the tests all load the scratch SDK's google-protobuf and grpc-js.
ln -s "$sdk/node_modules/@pulumi/pulumi" "$copy/node_modules/@pulumi/pulumi"

cd "$copy"
resolved=$(node -p "require('node:fs').realpathSync(require.resolve('@pulumi/pulumi/package.json'))")
if [ "$resolved" != "$(realpath "$sdk/node_modules/@pulumi/pulumi/package.json")" ]; then
  echo "[sdk-range] the copy in $copy resolves @pulumi/pulumi to $resolved, not the scratch SDK" >&2
  echo "0 passed, 1 failed, 0 skipped"
  exit 1
fi
echo "[sdk-range] @pulumi/pulumi $version: tests matching $pattern" >&2
node scripts/run-tests.js "$pattern"
