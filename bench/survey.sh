#!/usr/bin/env bash
# The self-assessment's deadline day (bench/survey): 357 municipalities,
# three people each, saving principle forms concurrently through the real
# web server for DURATION, on SQLite and then on PostgreSQL; afterwards a
# check that every answer saved is stored exactly once with its last
# value; then the leads submit, the round closes, and the pages that
# compare a municipality with its peers (the profile, the analysts'
# aggregates page and API) are read with the full round stored — by the
# same clients, and then by one client alone, the baseline of the loaded
# figures. Prints count, errors, req/s and p50/p90/p99 of each request
# per store, and PostgreSQL/SQLite ratios. Exits 1 on any error or failed
# check.
#
#   bench/survey.sh                        # 5 minutes per store, 64 clients flat out
#   DURATION=30s CLOSED=15s bench/survey.sh  # a quick run
#   CLIENTS=1071 THINK=10s bench/survey.sh   # everyone at once, ten seconds between requests
#   SHARED=1 bench/survey.sh               # all three people answer every principle (conflicts)
#   STORES=sqlite bench/survey.sh          # one store only
#   CLOSED=1m ALONE=15s                    # the defaults: how long the closed round's pages
#                                          # are read by the clients, then by one client alone
#
# Starts a throw-away PostgreSQL (scripts/pg-start) unless
# GRUNNLAG_TEST_POSTGRES names one (the benchmark creates and drops its
# own database there).
set -euo pipefail
cd "$(dirname "$0")/.."
stores=${STORES:-sqlite,postgres}

work=$(mktemp -d)
ours="" # the data folder of a server this script started
cleanup() {
  rm -rf "$work"
  if [ -n "$ours" ]; then scripts/pg-stop "$ours"; fi
}
trap cleanup EXIT
if [[ $stores == *postgres* ]] && [ -z "${GRUNNLAG_TEST_POSTGRES:-}" ]; then
  # Not eval "$(...)" alone: eval would hide pg-start's failure.
  out=$(scripts/pg-start)
  eval "$out"
  ours=$GRUNNLAG_PG_DIR
fi

go build -o "$work/survey" ./bench/survey
args=(-stores "$stores" -d "${DURATION:-5m}" -closed "${CLOSED:-1m}" -alone "${ALONE:-15s}"
  -c "${CLIENTS:-64}" -think "${THINK:-0}")
if [ "${SHARED:-0}" = 1 ]; then args+=(-shared); fi
"$work/survey" -postgres "${GRUNNLAG_TEST_POSTGRES:-}" "${args[@]}"
