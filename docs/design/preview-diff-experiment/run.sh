#!/bin/bash
# usage: run.sh CASE N  (env PV_SHAPE, PV_DIFF, PV_CHANGES, PV_HIDE, PV_DD, PV_LOG, PV_SHARDS pass through)
# prints: case N diffLines diffSec plainLines plainSec unchangedSec stateBytesPerUser upSec
set -u
CASE=$1; N=$2
export PULUMI_BRAZE_CLI_ROOT=${PULUMI_BRAZE_CLI_ROOT:-/root/.cache/pulumi-braze-profiles/pulumi-cli/v3.248.0-b25ba021e516}
export PATH=$PULUMI_BRAZE_CLI_ROOT/bin:$PATH
export PULUMI_BACKEND_URL=file:///tmp/pv/be/$CASE-$N PULUMI_CONFIG_PASSPHRASE=x PULUMI_SKIP_UPDATE_CHECK=true
export PULUMI_HOME=/tmp/pv/home PULUMI_DISABLE_AUTOMATIC_PLUGIN_ACQUISITION=true PULUMI_NODEJS_CACHE_DYNAMIC_PROVIDERS=true
export PV_N=$N
OUT=/tmp/pv/out/$CASE-$N; mkdir -p $OUT /tmp/pv/be/$CASE-$N /tmp/pv/home
cd /tmp/pv/proto
STACK=s-$CASE-$N
rm -f Pulumi.$STACK.yaml
pulumi stack init $STACK --non-interactive >/dev/null 2>&1 || pulumi stack select $STACK >/dev/null
t() { local s=$(date +%s.%N); "$@"; local rc=$?; echo "$(echo "$(date +%s.%N) - $s" | bc)" > $OUT/.t; return $rc; }
PV_CHANGE=-1 t pulumi up --yes --skip-preview --non-interactive --color never -s $STACK > $OUT/up.txt 2>&1 || { echo "up failed"; tail $OUT/up.txt; exit 1; }
UP=$(cat $OUT/.t)
PV_CHANGE=-1 t pulumi preview --diff --non-interactive --color never -s $STACK > $OUT/unchanged.txt 2>&1; UNCH=$(cat $OUT/.t)
CH=${PV_CH:-$(( N / 2 ))}
if [ -z "${PV_SKIPDIFF:-}" ]; then PV_CHANGE=$CH t pulumi preview --diff --non-interactive --color never -s $STACK > $OUT/diff.txt 2>&1; DS=$(cat $OUT/.t); else : > $OUT/diff.txt; DS=skipped; fi
PV_CHANGE=$CH t pulumi preview --non-interactive --color never -s $STACK > $OUT/plain.txt 2>&1; PS=$(cat $OUT/.t)
pulumi stack export -s $STACK > $OUT/state.json
SB=$(( $(wc -c < $OUT/state.json) / N ))
echo "$CASE N=$N diffLines=$(wc -l < $OUT/diff.txt) diffSec=$DS plainLines=$(wc -l < $OUT/plain.txt) plainSec=$PS unchangedPreviewSec=$UNCH stateB/user=$SB upSec=$UP"
