#!/bin/bash
# usage: seq.sh CASE N : up; up changing user 5; preview --diff changing users 5 and 7 (what does the previous up's change look like?)
set -u
CASE=$1; N=$2
export PULUMI_BRAZE_CLI_ROOT=${PULUMI_BRAZE_CLI_ROOT:-/root/.cache/pulumi-braze-profiles/pulumi-cli/v3.248.0-b25ba021e516}
export PATH=$PULUMI_BRAZE_CLI_ROOT/bin:$PATH
export PULUMI_BACKEND_URL=file:///tmp/pv/be/q-$CASE-$N PULUMI_CONFIG_PASSPHRASE=x PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME=/tmp/pv/home PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true
export PV_N=$N
OUT=/tmp/pv/out/q-$CASE-$N; mkdir -p $OUT /tmp/pv/be/q-$CASE-$N
cd /tmp/pv/proto; STACK=q-$CASE-$N; rm -f Pulumi.$STACK.yaml
pulumi stack init $STACK --non-interactive >/dev/null 2>&1
PV_CHANGE=-1 pulumi up --yes --skip-preview --non-interactive --color never -s $STACK > $OUT/up0.txt 2>&1
PV_CHANGE=5 pulumi up --yes --skip-preview --non-interactive --color never -s $STACK > $OUT/up1.txt 2>&1
PV_CHANGE=5,7 pulumi preview --diff --non-interactive --color never -s $STACK > $OUT/preview2.txt 2>&1
PV_CHANGE=5 pulumi preview --diff --non-interactive --color never -s $STACK > $OUT/preview-same.txt 2>&1
echo "$CASE: preview2 $(wc -l < $OUT/preview2.txt) lines; unchanged preview: $(grep -c 'to update' $OUT/preview-same.txt) updates"
