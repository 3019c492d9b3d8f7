#!/bin/bash
# usage: refresh.sh CASE N ; env PV_* as run.sh. up, then refresh --diff and plain refresh with drift on users 5 and 7.
set -u
CASE=$1; N=$2
export PULUMI_BRAZE_CLI_ROOT=${PULUMI_BRAZE_CLI_ROOT:-/root/.cache/pulumi-braze-profiles/pulumi-cli/v3.248.0-b25ba021e516}
export PATH=$PULUMI_BRAZE_CLI_ROOT/bin:$PATH
export PULUMI_CONFIG_PASSPHRASE=x PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME=/tmp/pv/home PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PV_N=$N
OUT=/tmp/pv/out/r-$CASE-$N; mkdir -p $OUT
cd /tmp/pv/proto
for v in diff plain; do
  export PULUMI_BACKEND_URL=file:///tmp/pv/be/r-$CASE-$N-$v; mkdir -p /tmp/pv/be/r-$CASE-$N-$v
  STACK=r-$CASE-$N-$v; rm -f Pulumi.$STACK.yaml
  pulumi stack init $STACK --non-interactive >/dev/null 2>&1
  PV_CHANGE=-1 pulumi up --yes --skip-preview --non-interactive --color never -s $STACK > $OUT/up-$v.txt 2>&1 || { tail $OUT/up-$v.txt; exit 1; }
  flag=$([ $v = diff ] && echo --diff)
  PV_DRIFT=5,7 pulumi refresh --yes $flag --non-interactive --color never -s $STACK > $OUT/refresh-$v.txt 2>&1
  PV_CHANGE=-1 pulumi preview $flag --non-interactive --color never -s $STACK > $OUT/preview-after-$v.txt 2>&1
done
echo "$CASE N=$N refreshDiffLines=$(wc -l < $OUT/refresh-diff.txt) refreshPlainLines=$(wc -l < $OUT/refresh-plain.txt) previewAfterDiffLines=$(wc -l < $OUT/preview-after-diff.txt)"
