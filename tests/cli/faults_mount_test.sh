#!/usr/bin/env bash
# Faults that need a file system of their own (issue 18): output on a full
# file system (a 64 KiB tmpfs) and into a read-only folder (a read-only
# tmpfs, which binds root too). Mounting needs root: without it the test
# says why and exits 77, which ctest reports as skipped.
# Usage: faults_mount_test.sh MERIT_BINARY SOURCE_DIR
source "$(dirname "$0")/harness.sh" "$@"
model=competency_models/sales_enablement.json
mkdir "$tmp/full" "$tmp/ro"
if ! mount -t tmpfs -o size=64k tmpfs "$tmp/full" 2> "$tmp/mount.txt"; then
  echo "SKIPPED: cannot mount a tmpfs (needs root): $(cat "$tmp/mount.txt")"
  exit 77
fi
trap 'umount "$tmp/full" "$tmp/ro" 2> /dev/null; rm -rf "$tmp"' EXIT
if ! mount -t tmpfs -o ro,size=64k tmpfs "$tmp/ro" 2> "$tmp/mount.txt"; then
  echo "SKIPPED: cannot mount a read-only tmpfs: $(cat "$tmp/mount.txt")"
  exit 77
fi
wide_pool "$model" "$tmp/wide.csv" 5000

# 1. A full file system: exit 4, the reason, no partial file (the results
#    are far larger than 64 KiB; --explain makes them larger still).
"$merit" score --model "$model" --candidates "$tmp/wide.csv" --explain --out "$tmp/full/ranked.csv" 2> "$tmp/err.txt"
check "full disk: exit 4" test $? -eq 4
check "full disk: exact message" grep -qxF \
  "merit score: error: $tmp/full/ranked.csv: cannot write: No space left on device; nothing was written" "$tmp/err.txt"
check "full disk: no partial file, no temporary file" test -z "$(ls -A "$tmp/full")"
# The rejects file and the decision log fill the disk too.
"$merit" score --model "$model" --candidates "$tmp/wide.csv" --out "$tmp/ok.csv" --audit-log "$tmp/full/log.jsonl" 2> "$tmp/err.txt"
check "full disk, audit log: exit 4" test $? -eq 4
check "full disk, audit log: names the log" grep -qxF \
  "merit score: error: $tmp/full/log.jsonl: cannot write: No space left on device; nothing was written" "$tmp/err.txt"
check "full disk, audit log: no log, and no results either" test -z "$(ls -A "$tmp/full")" -a ! -e "$tmp/ok.csv"

# 2. A read-only folder: a clear message before any work (the input does not
#    even exist, and is never opened).
"$merit" score --model "$model" --candidates "$tmp/missing.csv" --out "$tmp/ro/r.csv" 2> "$tmp/err.txt"
check "read-only folder: exit 4" test $? -eq 4
check "read-only folder: exact message, before reading the input" grep -qxF \
  "merit score: error: $tmp/ro/r.csv: cannot create a file in '$tmp/ro/': Read-only file system; choose a folder you can write to" "$tmp/err.txt"

report "cli.faults_mount"
