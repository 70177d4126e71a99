#!/usr/bin/env bash
# Measures how fast the store saves a large table: BenchmarkSaveSnapshot5M
# on SQLite and on PostgreSQL (storetest.Bench: one constructed table of
# 5 000 000 cells, saved whole, raw body compressed, values written in
# blocks of 65 536 cells). Runs them in turn, ROUNDS times (5 by
# default), so that a noisy machine slows all alike, and prints the median
# cells per second of each and their ratio.
#
#   bench/store.sh              # this checkout
#   BASE=351530a bench/store.sh # also a baseline commit, in the same rounds
#   ROUNDS=9 bench/store.sh     # more rounds, steadier medians
#
# With BASE, the same benchmark of that commit (built from a temporary git
# worktree) runs in every round beside this checkout's, and the script
# prints each one's median and the ratio this/base: a before and after
# measured on the same machine at the same time.
#
# Starts a throw-away PostgreSQL (scripts/pg-start) unless
# GRUNNLAG_TEST_POSTGRES names one (the benchmark creates and drops its own
# databases there).
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}

work=$(mktemp -d)
ours="" # the data folder of a server this script started
basetree=""
cleanup() {
  if [ -n "$basetree" ]; then git worktree remove --force "$basetree" >/dev/null 2>&1 || true; fi
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

# build TREE NAME compiles the store benchmarks of the checkout in TREE into
# $work/NAME-sqlite and $work/NAME-postgres (each a test binary and the
# benchmark pattern to give it), whichever layout the tree has: one store
# package (internal/store/sqlstore) or one per database (before it).
build() {
  local tree=$1 name=$2
  if [ -d "$tree/internal/store/sqlstore" ]; then
    (cd "$tree" && go test -c -o "$work/$name.test" ./internal/store/sqlstore)
    echo "$work/$name.test ^BenchmarkSaveSnapshot5M\$/^SQLite\$" >"$work/$name-sqlite"
    echo "$work/$name.test ^BenchmarkSaveSnapshot5M\$/^PostgreSQL\$" >"$work/$name-postgres"
  else
    (cd "$tree" && go test -c -o "$work/$name-sqlite.test" ./internal/store/sqlite &&
      go test -c -o "$work/$name-postgres.test" ./internal/store/postgres)
    echo "$work/$name-sqlite.test ^BenchmarkSaveSnapshot5M\$" >"$work/$name-sqlite"
    echo "$work/$name-postgres.test ^BenchmarkSaveSnapshot5M\$" >"$work/$name-postgres"
  fi
}

# rate runs one benchmark (a file written by build) once and prints its cells/s.
rate() {
  local bin pattern
  read -r bin pattern <"$1"
  "$bin" -test.run '^$' -test.bench "$pattern" -test.benchtime 1x -test.count 1 |
    awk '/^BenchmarkSaveSnapshot5M/ { for (i = 2; i <= NF; i++) if ($i == "cells/s") print $(i-1) }'
}

build . this
variants=(this-sqlite this-postgres)
if [ -n "${BASE:-}" ]; then
  basetree="$work/base"
  git worktree add --detach "$basetree" "$BASE" >/dev/null 2>&1
  build "$basetree" base
  variants=(base-sqlite this-sqlite base-postgres this-postgres)
fi

for r in $(seq "$rounds"); do
  line="round $r of $rounds:"
  for v in "${variants[@]}"; do
    x=$(rate "$work/$v")
    [ -n "$x" ] || { echo "bench/store.sh: $v printed no cells/s" >&2; exit 1; }
    echo "$x" >>"$work/$v.txt"
    line+=$(printf '  %s %10.0f' "$v" "$x")
  done
  echo "$line" >&2
done

median() { sort -g "$1" | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'; }
echo
echo "SaveSnapshot, 5 000 000 cells, median of $rounds rounds ($(nproc) CPUs, $(go env GOOS)/$(go env GOARCH)):"
for v in "${variants[@]}"; do
  m=$(median "$work/$v.txt")
  echo "$m" >"$work/$v.median"
  printf '  %-15s %12.0f cells/s\n' "$v" "$m"
done
ratio() { awk -v a="$(cat "$work/$1.median")" -v b="$(cat "$work/$2.median")" -v l="$3" 'BEGIN { printf "  %-28s %.2f\n", l, a / b }'; }
ratio this-postgres this-sqlite "postgres/sqlite (this):"
if [ -n "${BASE:-}" ]; then
  ratio this-sqlite base-sqlite "sqlite this/base:"
  ratio this-postgres base-postgres "postgres this/base:"
fi
