#!/usr/bin/env bash
# Writes the Java library's test data: candidate documents made from the example
# pool and evidence, and what the merit CLI answers for them, so the Java tests
# compare libmerit through JNA with an independent source without running the CLI.
#   bindings/java/scripts/make-expected.sh MERIT_CLI MODEL.json [OUT_DIR]
# OUT_DIR defaults to bindings/java/src/test/resources/io/merit/expected. Run it
# after a model or scoring change and commit the result; CTest's
# java_expected_current checks that the committed files are what it writes.
set -euo pipefail
cli=$(realpath "$1")
model=$(realpath "$2")
here=$(cd "$(dirname "$0")/.." && pwd)
root=$(cd "$here/../.." && pwd)
out=${3:-$here/src/test/resources/io/merit/expected}
mkdir -p "$out"
out=$(realpath "$out")

# Candidates: the example pool as a JSON array of candidate documents (empty cell:
# not observed, left out); evidence: the example evidence of the first three
# candidates as JSON Lines rows (numbers as numbers, level names as strings).
python3 - "$root/examples/pool.csv" "$root/examples/evidence_long.csv" "$out" <<'PY'
import csv, json, sys
pool, evidence, out = sys.argv[1:]
with open(pool, newline="") as f:
    docs = [{"candidate_id": r.pop("candidate_id"),
             "scores": {k: float(v) if "." in v else int(v) for k, v in r.items() if v.strip()}}
            for r in csv.DictReader(f)]
with open(f"{out}/candidates.json", "w") as f:
    f.write("[\n" + ",\n".join(json.dumps(d) for d in docs) + "\n]\n")
def value(v):
    try:
        return int(v)
    except ValueError:
        try:
            return float(v)
        except ValueError:
            return v if v.strip() else None
with open(evidence, newline="") as f, open(f"{out}/evidence.jsonl", "w") as o:
    for r in csv.DictReader(f):
        if r["candidate_id"] in ("C001", "C002", "C003"):
            r["value"] = value(r["value"])
            o.write(json.dumps(r) + "\n")
PY

profiles=$(python3 -c 'import json,sys; print(" ".join(p["id"] for p in json.load(open(sys.argv[1]))["profiles"]))' "$model")
for p in $profiles; do
  "$cli" score --model "$model" --profile "$p" --candidates "$out/candidates.json" --explain \
    --no-band --out "$out/score_$p.jsonl" --quiet
  "$cli" score --model "$model" --profile "$p" --evidence "$out/evidence.jsonl" \
    --no-band --out "$out/evidence_score_$p.jsonl" --quiet
done
"$cli" roles --model "$model" --candidates "$out/candidates.json" --out "$out/roles.jsonl"
"$cli" roles --model "$model" --evidence "$out/evidence.jsonl" --out "$out/evidence_roles.jsonl"
