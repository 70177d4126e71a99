#!/usr/bin/env bash
# Soak of the web server under load (issue «hardening»): 64 concurrent
# clients for 5 minutes over a mix of what people and programs ask —
# the front page, the table explorer with and without a chosen view, the
# API's view and indicators, and a signed-in analyst's pages (computed for
# every request, with the API token checked in the store) —
#
#   1. on SQLite, one `grunnlag serve`;
#   2. on PostgreSQL, two `grunnlag serve` processes on one database, the
#      clients' requests spread over both.
#
# Prints p50/p90/p99 and errors per URL (bench/load) and each server's
# resident memory (VmRSS) after the warm-up and at the end, with the
# growth in per cent. Errors must be 0 and growth within 10 %.
#
#   bench/soak.sh                       # 64 clients, 300 s per store
#   CLIENTS=32 SECONDS_EACH=60 bench/soak.sh
#
# Starts a throw-away PostgreSQL (scripts/pg-start) unless
# GRUNNLAG_TEST_POSTGRES names one; the soak's database is created there
# and dropped at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-64}
secs=${SECONDS_EACH:-300}
warm=20

work=$(mktemp -d)
pids=()
ours=""
pgdb=""
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; wait "$p" 2>/dev/null || true; done
  if [ -n "$pgdb" ]; then psql -q "$GRUNNLAG_TEST_POSTGRES" -c "DROP DATABASE IF EXISTS $pgdb WITH (FORCE)" >/dev/null 2>&1 || true; fi
  if [ -n "$ours" ]; then scripts/pg-stop "$ours"; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/grunnlag" ./cmd/grunnlag
go build -o "$work/load" ./bench/load
g="$work/grunnlag"
fx=internal/fixtures/pxweb

# fill DB: the recorded fixtures and an analyst with an API token; prints
# the token.
fill() {
  GRUNNLAG_DB=$1 "$g" import "$fx/ssb-v2/03024/data-POST.json" "$fx/ssb-v2/09654/data-GET.json" \
    "$fx/ssb-v2/13615/data-GET.json" "$fx/scb-v2/TAB6471/data.json" >/dev/null 2>"$work/import.log" ||
    { echo "bench/soak.sh: the import failed" >&2; cat "$work/import.log" >&2; exit 1; }
  GRUNNLAG_DB=$1 "$g" user add --role analyst analytiker@example.invalid >/dev/null
  GRUNNLAG_DB=$1 "$g" token create analytiker@example.invalid | tail -n 1
}

# serve DB NAME: starts a server, sets $base to its address.
serve() {
  : >"$work/$2.out" # before the server starts: the loop below reads it at once
  GRUNNLAG_DB=$1 "$g" serve --no-sync --addr 127.0.0.1:0 >"$work/$2.out" 2>"$work/$2.log" &
  pids+=($!)
  base=""
  for _ in $(seq 100); do
    base=$(sed -n 's|^grunnlag serverer på \(http://[^ ]*\)/$|\1|p' "$work/$2.out")
    [ -n "$base" ] && return
    sleep 0.1
  done
  echo "bench/soak.sh: server $2 did not start" >&2
  cat "$work/$2.log" >&2
  exit 1
}

rss() { awk '/^VmRSS/ {print $2}' "/proc/$1/status"; }

# urls BASE...: the mix, for every server given.
urls() {
  for b in "$@"; do
    echo "$b/" "$b/tabeller/13615" "$b/tabeller/13615?d.ContentsCode=kol&v.Tid=2020&v.Tid=2021" \
      "$b/api/v1/tables/13615/view" "$b/api/v1/indicators" "+$b/konto" "+$b/kartlegging"
  done
}

# soak NAME TOKEN PID... -- BASE...: runs the load and reports the servers' RSS.
soak() {
  local name=$1 token=$2
  shift 2
  local ps=()
  while [ "$1" != "--" ]; do ps+=("$1"); shift; done
  shift
  # shellcheck disable=SC2046
  "$work/load" -c "$clients" -d "${secs}s" -warmup "${warm}s" -bearer "$token" $(urls "$@") >"$work/$name.load" &
  local lp=$!
  sleep $((warm + 5))
  local start=()
  for p in "${ps[@]}"; do start+=("$(rss "$p")"); done
  wait "$lp"
  echo "== $name: $clients clients, ${secs}s after ${warm}s warm-up"
  cat "$work/$name.load"
  local i=0
  for p in "${ps[@]}"; do
    local end
    end=$(rss "$p")
    awk -v s="${start[$i]}" -v e="$end" -v n="$((i + 1))" \
      'BEGIN { printf "server %d RSS: %.1f MB after warm-up, %.1f MB at the end (%+.1f %%)\n", n, s/1024, e/1024, (e-s)*100/s }'
    i=$((i + 1))
  done
  echo
}

echo "$(nproc) CPUs, $(go env GOOS)/$(go env GOARCH)"
db="$work/g.db"
token=$(fill "$db")
serve "$db" sqlite
soak SQLite "$token" "${pids[0]}" -- "$base"
kill "${pids[0]}"; wait "${pids[0]}" 2>/dev/null || true
pids=()

if [ -z "${GRUNNLAG_TEST_POSTGRES:-}" ]; then
  out=$(scripts/pg-start)
  eval "$out"
  ours=$GRUNNLAG_PG_DIR
fi
pgdb="grunnlag_soak_$$"
psql -q "$GRUNNLAG_TEST_POSTGRES" -c "CREATE DATABASE $pgdb" >/dev/null
dsn=$(python3 -c 'import sys, urllib.parse as u; p = u.urlsplit(sys.argv[1]); print(u.urlunsplit(p._replace(path="/" + sys.argv[2])))' "$GRUNNLAG_TEST_POSTGRES" "$pgdb")
GRUNNLAG_DB=$dsn "$g" migrate >/dev/null
token=$(fill "$dsn")
serve "$dsn" pg1
b1=$base
serve "$dsn" pg2
b2=$base
soak "PostgreSQL, two servers" "$token" "${pids[0]}" "${pids[1]}" -- "$b1" "$b2"
