#!/usr/bin/env bash
# Runs BenchmarkRecordCall COUNT times (default 8) and prints the median of
# each case, with its ratio to the plain call and ddt's ratio to the
# OpenTelemetry span. Run from anywhere: bash bench/otel/run.sh
set -euo pipefail
cd "$(dirname "$0")"
count=${COUNT:-8}
echo "# $(go version); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# go test -run '^\$' -bench RecordCall -benchmem -count $count"
go test -run '^$' -bench RecordCall -benchmem -count "$count" |
  awk '
    /^BenchmarkRecordCall\// {
      name = $1; sub(/^BenchmarkRecordCall\//, "", name); sub(/-[0-9]+$/, "", name)
      if (!(name in n)) order[++cases] = name
      ns[name, ++n[name]] = $3; bytes[name] = $5; allocs[name] = $7
    }
    function median(name,   i, j, t, k, a) {
      k = n[name]
      for (i = 1; i <= k; i++) a[i] = ns[name, i] + 0
      for (i = 1; i <= k; i++) for (j = i + 1; j <= k; j++) if (a[j] < a[i]) { t = a[i]; a[i] = a[j]; a[j] = t }
      return k % 2 ? a[(k + 1) / 2] : (a[k / 2] + a[k / 2 + 1]) / 2
    }
    END {
      printf "%-16s %12s %10s %8s %10s\n", "case", "median ns/op", "B/op", "allocs", "vs plain"
      for (c = 1; c <= cases; c++) { m[order[c]] = median(order[c]) }
      for (c = 1; c <= cases; c++) {
        name = order[c]
        printf "%-16s %12.1f %10s %8s %9.1fx\n", name, m[name], bytes[name], allocs[name], m[name] / m["plain"]
      }
      printf "\nddt / otel-span: %.2f (without stack), %.2f (with stack); goal <= 0.5\n", m["ddt"] / m["otel-span"], m["ddt-with-stack"] / m["otel-span"]
      printf "ddt / otel-batch: %.2f (without stack), %.2f (with stack), %.2f (with the Timeline); goal <= 0.5\n", m["ddt"] / m["otel-batch"], m["ddt-with-stack"] / m["otel-batch"], m["ddt-timeline"] / m["otel-batch"]
      printf "ddt-inactive - plain: %+.1f ns (goal <= 2 ns)\n", m["ddt-inactive"] - m["plain"]
    }'
