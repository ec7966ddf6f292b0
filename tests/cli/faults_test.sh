#!/usr/bin/env bash
# Faults that lose nothing (issue 18): a read error in the middle of the
# input, a closed pipe, SIGKILL mid-run, an output that is an input or another
# output, an existing decision log, an output folder that cannot be written,
# and a directory given as a file. The full disk and the read-only folder (both need a mount)
# are in faults_mount_test.sh.
# Usage: faults_test.sh MERIT_BINARY SOURCE_DIR FAULT_READ_SHIM
source "$(dirname "$0")/harness.sh" "$@"
shim=$3
model=competency_models/sales_enablement.json
wide_pool "$model" "$tmp/wide.csv" 5000
score() { "$merit" score --model "$model" "$@"; }

# 1. A read error in the middle of the input (a real EIO from the C library,
#    through the fault_read shim): exit 4, the file and the offset named, no output.
mkdir "$tmp/out"
# Under AddressSanitizer the shim comes before the ASan runtime in the library
# list, which ASan refuses by default; the shim only wraps fread and calls the
# next definition (ASan's), so the order is safe to allow.
export ASAN_OPTIONS="${ASAN_OPTIONS:+$ASAN_OPTIONS:}verify_asan_link_order=0"
MERIT_FAULT_FILE="$tmp/wide.csv" MERIT_FAULT_AFTER=100000 LD_PRELOAD="$shim" \
  "$merit" score --model "$model" --candidates "$tmp/wide.csv" --out "$tmp/out/r.csv" --rejects "$tmp/out/bad.csv" 2> "$tmp/err.txt"
check "read error: exit 4" test $? -eq 4
check "read error: message names the file, offset and reason" grep -qxE \
  "merit score: error: $tmp/wide.csv: cannot read the file after [0-9]+ bytes: Input/output error" "$tmp/err.txt"
check "read error: after the first block (mid-input)" test "$(grep -oE 'after [0-9]+' "$tmp/err.txt" | cut -d' ' -f2)" -ge 100000
check "read error: no output, no temporary file" test -z "$(ls -A "$tmp/out")"
MERIT_FAULT_FILE="$tmp/wide.csv" MERIT_FAULT_AFTER=100000 LD_PRELOAD="$shim" \
  "$merit" score --model "$model" --candidates "$tmp/wide.csv" --out "$tmp/out/r.csv" --threads 1 2> /dev/null
check "read error: exit 4 on one thread" test $? -eq 4
check "read error: no output on one thread" test -z "$(ls -A "$tmp/out")"

# 2. A closed pipe ends quietly: exit 0 or 141, nothing on stderr but the
#    usual summary - also when the parent ignores SIGPIPE.
score --candidates "$tmp/wide.csv" --out - --quiet 2> "$tmp/err.txt" | head -n 3 > "$tmp/head.txt"
status=${PIPESTATUS[0]}
check "closed pipe: exit 0 or 141 (got $status)" test "$status" -eq 0 -o "$status" -eq 141
check "closed pipe: no error text" test ! -s "$tmp/err.txt"
check "closed pipe: head got the header and two rows" test "$(wc -l < "$tmp/head.txt")" -eq 3
(trap '' PIPE; "$merit" score --model "$model" --candidates "$tmp/wide.csv" --out - --quiet 2> "$tmp/err.txt" | head -n 1 > /dev/null
 echo "${PIPESTATUS[0]}" > "$tmp/status.txt")
status=$(cat "$tmp/status.txt")
check "closed pipe, SIGPIPE ignored: exit 0 or 141 (got $status)" test "$status" -eq 0 -o "$status" -eq 141
check "closed pipe, SIGPIPE ignored: no error text" test ! -s "$tmp/err.txt"

# 3. SIGKILL mid-run (the input a pipe that stalls after a few rows) leaves no
#    file at the output path; only a temporary named as one may remain.
mkdir "$tmp/kill"
mkfifo "$tmp/kill/pool.csv"
# merit itself, not the score() function: "f &" forks a subshell, and $! would
# be that subshell, so the kill would miss merit, which then finished and
# wrote its output once the pipe closed (a race CI lost).
"$merit" score --model "$model" --candidates "$tmp/kill/pool.csv" --out "$tmp/kill/ranked.csv" --quiet 2> /dev/null &
pid=$!
exec 3<> "$tmp/kill/pool.csv"  # read-write: never blocks, even if merit has not opened it
head -n 100 "$tmp/wide.csv" >&3
for _ in $(seq 100); do
  compgen -G "$tmp/kill/.ranked.csv.tmp.*" > /dev/null && break
  sleep 0.05
done
check "SIGKILL: the temporary file exists while running" compgen -G "$tmp/kill/.ranked.csv.tmp.*" > /dev/null
kill -KILL "$pid"
wait "$pid" 2> /dev/null
check "SIGKILL: merit was the process killed (none still reads the pipe)" \
  test -z "$(pgrep -f "$tmp/kill/pool.csv")"
exec 3>&-
check "SIGKILL: no file at the output path" test ! -e "$tmp/kill/ranked.csv"
check "SIGKILL: what remains is named as a temporary file" \
  test -z "$(ls -A "$tmp/kill" | grep -vxE 'pool\.csv|\.ranked\.csv\.tmp\.[A-Za-z0-9]{6}')"

# 4. An output that is the same file as an input or another output is refused
#    before any work (exit 2), naming both; the input is untouched.
cp "$tmp/wide.csv" "$tmp/pool.csv"
score --candidates "$tmp/pool.csv" --out "$tmp/pool.csv" 2> "$tmp/err.txt"
check "out = input: exit 2" test $? -eq 2
check "out = input: message names both" grep -qxF \
  "merit score: output '$tmp/pool.csv' is the same file as input '$tmp/pool.csv': writing it would destroy the input; choose another path (see 'merit score --help')" "$tmp/err.txt"
check "out = input: input untouched" cmp -s "$tmp/wide.csv" "$tmp/pool.csv"
ln "$tmp/pool.csv" "$tmp/link.csv"
score --candidates "$tmp/pool.csv" --out "$tmp/link.csv" 2> "$tmp/err.txt"
check "out = a hard link of the input: refused naming both" grep -qxF \
  "merit score: output '$tmp/link.csv' is the same file as input '$tmp/pool.csv': writing it would destroy the input; choose another path (see 'merit score --help')" "$tmp/err.txt"
score --candidates "$tmp/pool.csv" --out "$tmp/x.csv" --rejects "$tmp/./x.csv" 2> "$tmp/err.txt"
check "rejects = out: exit 2" test $? -eq 2
check "rejects = out: message names both" grep -qxF \
  "merit score: rejects file '$tmp/./x.csv' is the same file as output '$tmp/x.csv': one would overwrite the other; give each its own path (see 'merit score --help')" "$tmp/err.txt"
check "rejects = out: nothing written" test ! -e "$tmp/x.csv"
cp "$model" "$tmp/model.json"
"$merit" score --model "$tmp/model.json" --candidates "$tmp/pool.csv" --audit-log "$tmp/model.json" 2> "$tmp/err.txt"
check "audit log = model: refused naming both" grep -qxF \
  "merit score: audit log '$tmp/model.json' is the same file as model '$tmp/model.json': writing it would destroy the model; choose another path (see 'merit score --help')" "$tmp/err.txt"
check "audit log = model: model untouched" cmp -s "$model" "$tmp/model.json"

# 5. A decision log is never replaced silently: a second run to the same log
#    is refused (exit 2) and leaves it as it was; --overwrite-log replaces it.
score --candidates examples/pool.csv --audit-log "$tmp/decisions.jsonl" --out "$tmp/p1.csv" 2> /dev/null
cp "$tmp/decisions.jsonl" "$tmp/first.jsonl"
score --candidates examples/pool.csv --audit-log "$tmp/decisions.jsonl" --out "$tmp/p2.csv" 2> "$tmp/err.txt"
check "existing log: exit 2" test $? -eq 2
check "existing log: message says what to do" grep -qxF \
  "merit score: audit log '$tmp/decisions.jsonl' already exists; a decision log is never replaced silently: give a new path, or allow replacing it (overwrite_log, merit score --overwrite-log) (see 'merit score --help')" "$tmp/err.txt"
check "existing log: untouched" cmp -s "$tmp/first.jsonl" "$tmp/decisions.jsonl"
check "existing log: no results written" test ! -e "$tmp/p2.csv"
score --candidates examples/pool.csv --audit-log "$tmp/decisions.jsonl" --overwrite-log --out "$tmp/p2.csv" 2> /dev/null
check "--overwrite-log: exit 0" test $? -eq 0
"$merit" verify-log --log "$tmp/decisions.jsonl" --model "$model" --candidates examples/pool.csv 2> /dev/null
check "--overwrite-log: the new log verifies" test $? -eq 0
score --candidates examples/pool.csv --overwrite-log 2> "$tmp/err.txt" > /dev/null
check "--overwrite-log without --audit-log: exit 2" test $? -eq 2

# 6. An output folder that cannot be written: a clear message before any work
#    (the input does not even exist). Root ignores permissions: the read-only
#    mount in faults_mount_test.sh covers it there.
if [ "$(id -u)" != 0 ]; then
  mkdir "$tmp/locked" && chmod 555 "$tmp/locked"
  score --candidates "$tmp/missing.csv" --out "$tmp/locked/r.csv" 2> "$tmp/err.txt"
  check "unwritable folder: exit 4" test $? -eq 4
  check "unwritable folder: message before any work" grep -qxF \
    "merit score: error: $tmp/locked/r.csv: cannot create a file in '$tmp/locked/': Permission denied; choose a folder you can write to" "$tmp/err.txt"
  chmod 755 "$tmp/locked"
else
  echo "note: running as root, which ignores folder permissions; the unwritable folder is checked by cli.faults_mount"
fi
score --candidates "$tmp/pool.csv" --out "$tmp/nowhere/r.csv" 2> "$tmp/err.txt"
check "missing folder: exit 4" test $? -eq 4
check "missing folder: exact message" grep -qxF \
  "merit score: error: $tmp/nowhere/r.csv: cannot create a file in '$tmp/nowhere/': No such file or directory; choose a folder you can write to" "$tmp/err.txt"

# 7. A directory given as a file is a file error (exit 4), not an internal error.
is_directory() {  # is_directory NAME EXPECTED_MESSAGE ARGS...: merit ARGS exits 4 with the message
  local name=$1 expected=$2
  shift 2
  "$merit" "$@" 2> "$tmp/err.txt" > /dev/null
  check "$name: exit 4" test $? -eq 4
  check "$name: exact message" grep -qxF "$expected" "$tmp/err.txt"
}
is_directory "directory as model" "merit score: error: $tmp: is a directory; give the path of a file" \
  score --model "$tmp" --candidates "$tmp/pool.csv"
is_directory "directory as candidates" "merit score: error: $tmp: is a directory; give the path of a file" \
  score --model "$model" --candidates "$tmp" --out "$tmp/d.csv"
is_directory "directory as output" "merit score: error: $tmp/out: is a directory; give the path of a file to write" \
  score --model "$model" --candidates "$tmp/pool.csv" --out "$tmp/out"
"$merit" validate "$tmp" > "$tmp/err.txt"
check "validate a directory: exit 4" test $? -eq 4
check "validate a directory: exact message" grep -qxF "$tmp: is a directory; give the path of a file" "$tmp/err.txt"

report "cli.faults"
