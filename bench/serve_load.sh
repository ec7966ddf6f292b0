#!/usr/bin/env bash
# Bounded load test of merit serve on loopback (bench/README.md): REQUESTS
# POST /v1/score requests (one candidate each) over CONNECTIONS keep-alive
# connections with wrk; fails unless every request got a 200 and no socket
# error or timeout happened. Prints the numbers as one JSON line.
#
# usage: bench/serve_load.sh MERIT_BINARY [REQUESTS=20000] [CONNECTIONS=64] [SERVER_THREADS=2]
set -euo pipefail
merit=$(realpath "$1"); requests=${2:-20000}; connections=${3:-64}; server_threads=${4:-2}
here=$(cd "$(dirname "$0")" && pwd); src=$(dirname "$here")
tmp=$(mktemp -d); chmod 755 "$tmp"
server=""
cleanup() { [ -n "$server" ] && kill "$server" 2> /dev/null; rm -rf "$tmp"; }
trap cleanup EXIT

key=$(head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n')
printf '%s\n' "$key" | "$merit" serve hash-key > "$tmp/keys.txt"
python3 - "$src/examples/pool.csv" > "$tmp/body.json" <<'PY'
import csv, json, sys
row = next(csv.DictReader(open(sys.argv[1])))
cid = row.pop("candidate_id")
print(json.dumps({"profile": "sales_enablement",
                  "candidates": [{"candidate_id": cid, "scores": {k: int(v) for k, v in row.items() if v}}]}))
PY
user=(); [ "$(id -u)" -eq 0 ] && user=(--user nobody)
"$merit" serve --model "$src/competency_models/sales_enablement.json" --api-keys "$tmp/keys.txt" \
  --listen 127.0.0.1:0 --threads "$server_threads" --audit-log "$tmp/decisions.jsonl" "${user[@]}" 2> "$tmp/server.err" &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$tmp/server.err" && break; sleep 0.1; done
port=$(sed -n 's/.*listening on 127.0.0.1:\([0-9]*\).*/\1/p' "$tmp/server.err")
[ -n "$port" ] || { cat "$tmp/server.err" >&2; exit 1; }

wrk_threads=2
mkdir "$tmp/marks"
MERIT_KEY=$key MERIT_BODY=$tmp/body.json MERIT_PER_THREAD=$((requests / wrk_threads)) MERIT_MARKS=$tmp/marks \
  wrk -t"$wrk_threads" -c"$connections" -d120s --timeout 10s -s "$here/serve_load.lua" \
  "http://127.0.0.1:$port/v1/score" > "$tmp/wrk.out" &
wrk_pid=$!
# wrk runs for its -d duration; stop it (SIGINT: it reports and exits) once
# every thread has had its share of answers.
while kill -0 "$wrk_pid" 2> /dev/null && [ "$(ls "$tmp/marks" | wc -l)" -lt "$wrk_threads" ]; do sleep 0.05; done
kill -INT "$wrk_pid" 2> /dev/null || true
wait "$wrk_pid"
result=$(grep '^{"answered"' "$tmp/wrk.out")
echo "$result"
kill -TERM "$server"; wait "$server"; server=""
logged=$(grep -c '"record":"candidate"' "$tmp/decisions.jsonl")
python3 - "$result" "$requests" "$logged" <<'PY'
import json, sys
r, want, logged = json.loads(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
problems = []
if r["answered"] < want: problems.append("answered %d of %d requests" % (r["answered"], want))
if r["non_200"] or r["socket_errors"] or r["timeouts"]: problems.append("errors: %s" % r)
if logged < r["answered"]: problems.append("%d decisions logged for %d answers" % (logged, r["answered"]))
if problems: sys.exit("serve_load: " + "; ".join(problems))
PY
