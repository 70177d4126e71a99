#!/usr/bin/env bash
# Load benchmark of the web server: starts `grunnlag serve --no-sync` on a
# temporary SQLite file filled with `grunnlag import` of the recorded SSB
# fixtures (internal/fixtures), then runs bench/load with 64 concurrent
# clients against the dashboard and against an API call, one after the
# other, and prints p50/p90/p99 latency and requests per second of each.
# Target: p99 under 20 ms on a 2-core machine.
#
#   bench/load.sh                 # 64 clients, 10 s each
#   CLIENTS=16 SECONDS_EACH=5 bench/load.sh
#
# The server's request log goes to a file in the temporary folder, which is
# removed at the end.
set -euo pipefail
cd "$(dirname "$0")/.."
clients=${CLIENTS:-64}
secs=${SECONDS_EACH:-10}

work=$(mktemp -d)
pid=""
cleanup() {
  if [ -n "$pid" ]; then kill "$pid" 2>/dev/null || true; wait "$pid" 2>/dev/null || true; fi
  rm -rf "$work"
}
trap cleanup EXIT

go build -o "$work/grunnlag" ./cmd/grunnlag
go build -o "$work/load" ./bench/load

# Both commands below use this database.
export GRUNNLAG_DB="$work/g.db"
fx=internal/fixtures/pxweb
if ! "$work/grunnlag" import \
  "$fx/ssb-v2/03024/data-POST.json" "$fx/ssb-v2/09654/data-GET.json" \
  "$fx/ssb-v2/13615/data-GET.json" "$fx/scb-v2/TAB6471/data.json" >/dev/null 2>"$work/import.log"; then
  echo "bench/load.sh: the import of the fixtures failed" >&2
  cat "$work/import.log" >&2
  exit 1
fi

: >"$work/serve.out" # before the server starts: the loop below reads it at once
"$work/grunnlag" serve --no-sync --addr 127.0.0.1:0 >"$work/serve.out" 2>"$work/serve.log" &
pid=$!
base=""
for _ in $(seq 100); do
  base=$(sed -n 's|^grunnlag serverer på \(http://[^ ]*\)/$|\1|p' "$work/serve.out")
  [ -n "$base" ] && break
  sleep 0.1
done
[ -n "$base" ] || { echo "bench/load.sh: the server did not start" >&2; cat "$work/serve.log" >&2; exit 1; }
echo "server: $base (grunnlag serve --no-sync, SQLite, $(nproc) CPUs)"

echo
echo "== dashboard: GET /"
"$work/load" -c "$clients" -d "${secs}s" "$base/"
echo
echo "== API: GET /api/v1/tables/13615/view"
"$work/load" -c "$clients" -d "${secs}s" "$base/api/v1/tables/13615/view"
echo
echo "== API: GET /api/v1/tables"
"$work/load" -c "$clients" -d "${secs}s" "$base/api/v1/tables"
