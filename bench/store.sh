#!/usr/bin/env bash
# Measures how fast each store saves a large table: BenchmarkSaveSnapshot5M
# of the SQLite and the PostgreSQL store (storetest.Bench: one constructed
# table of 5 000 000 cells, saved whole, raw body compressed, cells written
# with multi-row INSERTs or COPY). Runs the two in turn, ROUNDS times (5 by
# default), so that a noisy machine slows both alike, and prints the median
# cells per second of each and their ratio.
#
#   bench/store.sh            # starts a throw-away PostgreSQL (scripts/pg-start)
#   ROUNDS=9 bench/store.sh   # more rounds, steadier medians
#
# Uses the server in GRUNNLAG_TEST_POSTGRES when set (the benchmark creates
# and drops its own database there).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}

work=$(mktemp -d)
ours="" # the data folder of a server this script started
cleanup() {
  rm -rf "$work"
  if [ -n "$ours" ]; then scripts/pg-stop "$ours"; fi
}
trap cleanup EXIT
if [ -z "${GRUNNLAG_TEST_POSTGRES:-}" ]; then
  # Not eval "$(...)" alone: eval would hide pg-start's failure.
  out=$(scripts/pg-start)
  eval "$out"
  ours=$GRUNNLAG_PG_DIR
fi
export GRUNNLAG_TEST_POSTGRES
go test -c -o "$work/sqlite.test" ./internal/store/sqlite
go test -c -o "$work/postgres.test" ./internal/store/postgres

# rate runs one benchmark binary once and prints its cells/s.
rate() {
  "$1" -test.run '^$' -test.bench '^BenchmarkSaveSnapshot5M$' -test.benchtime 1x -test.count 1 |
    awk '/^BenchmarkSaveSnapshot5M/ { for (i = 2; i <= NF; i++) if ($i == "cells/s") print $(i-1) }'
}

for r in $(seq "$rounds"); do
  s=$(rate "$work/sqlite.test")
  p=$(rate "$work/postgres.test")
  [ -n "$s" ] && [ -n "$p" ] || { echo "bench/store.sh: a benchmark printed no cells/s" >&2; exit 1; }
  echo "$s" >>"$work/sqlite.txt"
  echo "$p" >>"$work/postgres.txt"
  printf 'round %d of %d: sqlite %12.0f cells/s   postgres %12.0f cells/s\n' "$r" "$rounds" "$s" "$p" >&2
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'; }
ms=$(median "$work/sqlite.txt")
mp=$(median "$work/postgres.txt")
echo
echo "SaveSnapshot, 5 000 000 cells, median of $rounds rounds ($(nproc) CPUs, $(go env GOOS)/$(go env GOARCH)):"
printf '  %-10s %12.0f cells/s\n' sqlite "$ms" postgres "$mp"
awk -v s="$ms" -v p="$mp" 'BEGIN { printf "  postgres/sqlite = %.2f\n", p / s }'
