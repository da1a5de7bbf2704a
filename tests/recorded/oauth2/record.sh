#!/bin/bash
# Records n8n 2.41.1's requests for each case dir under /tmp/oauth2-rec (workflow.json + cred.json).
set -u
. /work/shared/n8n/env.sh
export N8N_USER_FOLDER=/tmp/oauth2-rec/home N8N_RUNNERS_BROKER_PORT=5689 GENERIC_TIMEZONE=UTC TZ=UTC
mkdir -p $N8N_USER_FOLDER
for d in "$@"; do
  rm -f $d/requests.jsonl
  python3 /tmp/oauth2-rec/server.py 18191 $d/requests.jsonl & srv=$!
  sleep 0.5
  n8n import:workflow --input=$d/workflow.json > $d/import.log 2>&1
  n8n import:credentials --input=$d/cred.json >> $d/import.log 2>&1
  id=$(python3 -c "import json;print(json.load(open('$d/workflow.json'))['id'])")
  n8n execute --id=$id --rawOutput > $d/exec.out 2> $d/exec.err
  kill $srv
done
