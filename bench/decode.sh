#!/usr/bin/env bash
# Measures the JSON-stat decoder side by side with other ways to read the
# same file: generates a ~120 MB constructed JSON-stat 2.0 file (18.1 M
# cells; see bench/decode/main.go), then decodes it ROUNDS times (5 by
# default) in each way, each decode in a fresh process, the ways taking
# turns so that a noisy machine slows them alike. Prints the median MB/s
# and peak resident memory of each and their ratio to the baseline scan:
#
#   jsonstat  the project's decoder (jsonstat.Decode), checks everything
#   scan      a minimal hand-written scan of the value array (the baseline)
#   json      encoding/json into map[string]any
#   node      V8's JSON.parse on the same file, when node is installed
#
#   bench/decode.sh
#   ROUNDS=9 bench/decode.sh
set -euo pipefail
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-5}

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
go build -o "$work/decode" ./bench/decode
"$work/decode" gen "$work/table.json"
size=$(stat -c %s "$work/table.json")

modes=(jsonstat scan json)
if command -v node >/dev/null; then
  modes+=(node)
  # Reads the file, then times JSON.parse alone (the read and the UTF-8
  # decoding into a string are not counted, as the Go modes do not count
  # the read either).
  cat >"$work/parse.js" <<'JS'
const fs = require('fs');
const text = fs.readFileSync(process.argv[2], 'utf8');
const t0 = process.hrtime.bigint();
const c0 = process.cpuUsage();
const v = JSON.parse(text);
const secs = Number(process.hrtime.bigint() - t0) / 1e9;
const c = process.cpuUsage(c0);
console.log(`node ${secs.toFixed(6)} ${process.resourceUsage().maxRSS} ${v.value.length} ${((c.user + c.system) / 1e6).toFixed(6)}`);
JS
fi

for r in $(seq "$rounds"); do
  for m in "${modes[@]}"; do
    if [ "$m" = node ]; then
      line=$(node --max-old-space-size=8192 "$work/parse.js" "$work/table.json")
    else
      line=$("$work/decode" run "$m" "$work/table.json")
    fi
    echo "$line" >>"$work/results.txt"
  done
  echo "round $r of $rounds done" >&2
done

median() { sort -g | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR+1)/2]; else print (v[NR/2] + v[NR/2+1]) / 2 }'; }
col() { awk -v m="$1" -v c="$2" '$1 == m { print $c }' "$work/results.txt" | median; }
cells=$(awk '$1 == "jsonstat" { print $4; exit }' "$work/results.txt")
scan=$(col scan 2)
scancpu=$(col scan 5)
echo
awk -v size="$size" -v cells="$cells" -v rounds="$rounds" -v cpus="$(nproc)" -v os="$(go env GOOS)/$(go env GOARCH)" -v load="$(cut -d' ' -f1 /proc/loadavg)" 'BEGIN {
  printf "Decoding a %.1f MB JSON-stat 2.0 file of %d cells, median of %d rounds (%d CPUs, %s, load %s):\n", size / 1e6, cells, rounds, cpus, os, load
  printf "  file + cells (8 bytes each) = %.0f MB\n", (size + 8 * cells) / 1e6
  printf "  %-9s %9s %9s %12s %11s %11s\n", "way", "MB/s", "MB/s CPU", "peak RSS MB", "/ scan", "/ scan CPU"
}'
for m in "${modes[@]}"; do
  awk -v m="$m" -v size="$size" -v secs="$(col "$m" 2)" -v cpu="$(col "$m" 5)" -v rss="$(col "$m" 3)" -v scan="$scan" -v scancpu="$scancpu" \
    'BEGIN { printf "  %-9s %9.0f %9.0f %12.0f %11.2f %11.2f\n", m, size / secs / 1e6, size / cpu / 1e6, rss * 1024 / 1e6, scan / secs, scancpu / cpu }'
done
echo "  (MB/s: by wall-clock time; MB/s CPU: by the CPU time the decode used, user and system,"
echo "  all threads: steadier when other work shares the machine. Ratios: the scan's median time"
echo "  over the way's.)"
