#!/usr/bin/env bash
# The GitOps steps of a Braze profiles stack, one subcommand per pipeline event.
# braze-profiles.yml (GitHub Actions) runs them; any other CI can run them as they
# are. The test suite runs them against braze-local (test/e2e/gitops.test.ts).
#
#   pipeline.sh pr      plan (markdown, for a pull-request comment) + pulumi preview --diff
#                       exit 0: nothing would change; 2: changes (plan written); 1: error
#   pipeline.sh merge   pulumi up: sends the change; fails when a user fails or a budget
#                       (braze:maxDeletes, braze:maxDataPoints) refuses the run
#   pipeline.sh drift   pulumi refresh --preview-only --expect-no-changes --diff: reads every
#                       user back, writes nothing, prints each drifted user with what Braze
#                       holds and what the file wants; non-zero when Braze differs from state
#
# Environment:
#   PULUMI_STACK        the stack (required)
#   PULUMI_CWD          the Pulumi project's folder (default: .)
#   PLAN_FILE           where `pr` writes the markdown plan (default: braze-plan.md)
#   BRAZE_PROFILES      how to run the plan command (default: npx --no braze-profiles)
# plus what the Pulumi CLI needs: its backend (PULUMI_ACCESS_TOKEN or PULUMI_BACKEND_URL)
# and PULUMI_CONFIG_PASSPHRASE for a passphrase-encrypted stack (braze:apiKey is a secret).
set -euo pipefail

stack="${PULUMI_STACK:?set PULUMI_STACK to the stack to run}"
where=(--stack "$stack" --cwd "${PULUMI_CWD:-.}" --non-interactive)
read -r -a plan <<<"${BRAZE_PROFILES:-npx --no braze-profiles}"

case "${1:-}" in
  pr)
    plan_file="${PLAN_FILE:-braze-plan.md}"
    status=0
    "${plan[@]}" plan --stack "$stack" --cwd "${PULUMI_CWD:-.}" --format markdown >"$plan_file" || status=$?
    if [ "$status" -eq 1 ]; then exit 1; fi
    cat "$plan_file"
    pulumi preview "${where[@]}" --diff
    exit "$status"
    ;;
  merge)
    pulumi up "${where[@]}" --yes --parallel 100
    ;;
  drift)
    # Each drifted user prints under the set ("drift: N users differ from the file",
    # then per user and attribute "Braze holds X, the file wants Y"); the run fails on any.
    pulumi refresh "${where[@]}" --preview-only --expect-no-changes --diff
    ;;
  *)
    echo "usage: $0 pr|merge|drift (see the comment at the top of this file)" >&2
    exit 1
    ;;
esac
