#!/usr/bin/env bash
# Build integration on a real web application: plain `go build` against
# `ddt build` and DataDog's `orchestrion go build`, cold (empty build cache),
# with no change, and after a one-file edit. Not part of CI. Run from anywhere:
#
#   bash bench/build/run.sh                 # N=3 runs of each, COLD_N=N
#   N=5 COLD_N=1 ORCHESTRION=0 bash bench/build/run.sh   # no orchestrion row
#
# The application is miniflux (miniflux.app/v2, ~40,000 lines of Go),
# fetched from the module proxy. Eight of its functions (HTTP handlers and
# storage queries) are marked //ddt:trace for ddt and //dd:span for
# orchestrion. Each scenario has a build cache of its own, so "cold" is
# cold; the module cache is shared (downloads are not build time).
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-3}
COLD_N=${COLD_N:-$N}
ORCHESTRION=${ORCHESTRION:-1}
APP=miniflux.app/v2@v2.2.14
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0

echo "# $(go version); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ddt: $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
echo "# app: $APP; runs: $N (cold: $COLD_N); $(date -u +%Y-%m-%dT%H:%MZ)"

(cd "$repo" && go build -o "$work/ddt" ./cmd/ddt)
src=$(cd "$work" && go mod download -json "$APP" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
(cd "$src" && go mod download)

# The functions marked, as file:first-line-prefix.
targets=(
  "internal/ui/unread_entries.go:func (h \*handler) showUnreadPage("
  "internal/ui/feed_list.go:func (h \*handler) showFeedsPage("
  "internal/ui/entry_unread.go:func (h \*handler) showUnreadEntryPage("
  "internal/api/entry.go:func (h \*handler) getEntries("
  "internal/storage/entry_query_builder.go:func (e \*EntryQueryBuilder) GetEntries("
  "internal/storage/feed.go:func (s \*Storage) FeedByID("
  "internal/storage/user.go:func (s \*Storage) UserByID("
  "internal/storage/category.go:func (s \*Storage) Categories("
)
edited=internal/ui/unread_entries.go

# copyApp DIR DIRECTIVE copies the app to DIR and marks the targets with
# DIRECTIVE (none when empty).
copyApp() {
  cp -r "$src" "$1"
  chmod -R u+w "$1"
  [ -n "$2" ] || return 0
  local t file prefix
  for t in "${targets[@]}"; do
    file=${t%%:*}
    prefix=${t#*:}
    grep -q "^$prefix" "$1/$file" || { echo "bench: $file has no line starting with $prefix" >&2; exit 1; }
    sed -i "s|^$prefix|$2\n&|" "$1/$file"
  done
}

# seconds CMD... runs CMD quietly and prints how long it took.
seconds() {
  local start end
  start=$(date +%s.%N)
  if ! "$@" >"$work/last.log" 2>&1; then
    echo "bench: failed: $*" >&2
    tail -20 "$work/last.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.2f\n", b - a }'
}

median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# measure NAME DIR BUILD... prints cold, no-change and one-file-edit
# medians of building DIR with BUILD.
declare -A result
measure() {
  local name=$1 dir=$2
  shift 2
  local cold=() warm=() edit=() i
  for ((i = 0; i < COLD_N; i++)); do
    export GOCACHE="$work/cache-$name-$i"
    rm -rf "$dir/.ddt" # ddt's instrumented copies: a cold build makes them again
    cold+=("$(cd "$dir" && seconds "$@")")
  done
  export GOCACHE="$work/cache-$name-0"
  for ((i = 0; i < N; i++)); do
    warm+=("$(cd "$dir" && seconds "$@")")
    echo "// edit $i" >>"$dir/$edited"
    edit+=("$(cd "$dir" && seconds "$@")")
  done
  result[$name,cold]=$(printf '%s\n' "${cold[@]}" | median)
  result[$name,warm]=$(printf '%s\n' "${warm[@]}" | median)
  result[$name,edit]=$(printf '%s\n' "${edit[@]}" | median)
  echo "# $name: cold ${cold[*]}; no change ${warm[*]}; one-file edit ${edit[*]}"
}

copyApp "$work/plain" ""
measure plain "$work/plain" go build -o "$work/plain.bin" .

copyApp "$work/ddt-app" "//ddt:trace"
# Setting up: ddt adds its requirement to go.mod once (not timed).
summary=$(cd "$work/ddt-app" && GOCACHE="$work/cache-setup" "$work/ddt" instrument ./... 2>&1 >/dev/null | grep 'instrumented' || true)
echo "# ddt: ${#targets[@]} functions marked; $summary"
measure ddt "$work/ddt-app" "$work/ddt" build -o "$work/ddt.bin" .

rows=(plain ddt)
if [ "$ORCHESTRION" = 1 ]; then
  # Set up (not timed): install orchestrion, pin it in a copy of the app,
  # mark the same functions with its //dd:span, download what it needs.
  if ! GOBIN="$work/bin" go install github.com/DataDog/orchestrion@latest >"$work/install.log" 2>&1; then
    echo "# orchestrion: 'go install github.com/DataDog/orchestrion@latest' failed, so it is left out:"
    sed 's/^/#   /' "$work/install.log"
  else
    orch_version=$(go version -m "$work/bin/orchestrion" | awk '$1 == "mod" { print $3 }')
    copyApp "$work/orch-app" "//dd:span"
    pinned="orchestrion pin"
    if ! (cd "$work/orch-app" && GOCACHE="$work/cache-setup" "$work/bin/orchestrion" pin >"$work/pin.log" 2>&1); then
      # pin always adds github.com/DataDog/dd-trace-go/orchestrion/all/v2 (every
      # integration). //dd:span needs only the tracer's aspects
      # (dd-trace-go/v2/ddtrace/tracer/orchestrion.yml), so pin by hand what
      # orchestrion.tool.go needs for that: orchestrion and the tracer.
      echo "# orchestrion $orch_version: 'orchestrion pin' failed:"
      sed 's/^/#   /' "$work/pin.log"
      echo "# so it is pinned by hand: orchestrion.tool.go imports orchestrion and dd-trace-go/v2/ddtrace/tracer"
      rm -f "$work/orch-app/orchestrion.tool.go"
      printf '%s\n' '//go:build tools' '' 'package tools' '' 'import (' \
        '	_ "github.com/DataDog/dd-trace-go/v2/ddtrace/tracer" // the //dd:span aspect' \
        '	_ "github.com/DataDog/orchestrion"' ')' >"$work/orch-app/orchestrion.tool.go"
      pinned="pinned by hand"
      if ! (cd "$work/orch-app" && GOCACHE="$work/cache-setup" go get "github.com/DataDog/orchestrion@$orch_version" github.com/DataDog/dd-trace-go/v2@latest >"$work/pin.log" 2>&1); then
        echo "# orchestrion: pinning by hand failed too, so it is left out:"
        sed 's/^/#   /' "$work/pin.log"
        pinned=""
      fi
    fi
    if [ -n "$pinned" ]; then
      (cd "$work/orch-app" && go mod download)
      tracer=$(cd "$work/orch-app" && go list -m -f '{{.Version}}' github.com/DataDog/dd-trace-go/v2)
      echo "# orchestrion $orch_version ($pinned), dd-trace-go/v2 $tracer; ${#targets[@]} functions marked //dd:span"
      measure orchestrion "$work/orch-app" "$work/bin/orchestrion" go build -o "$work/orch.bin" .
      # //dd:span took effect: miniflux itself does not import the tracer.
      go tool nm "$work/orch.bin" >"$work/orch.nm"
      if grep -q 'dd-trace-go/v2/ddtrace/tracer.StartSpanFromContext' "$work/orch.nm"; then
        echo "# orchestrion: the binary holds tracer.StartSpanFromContext (spans injected)"
      else
        echo "# orchestrion: WARNING: no tracer.StartSpanFromContext in the binary; spans may not be injected"
      fi
      rows+=(orchestrion)
    fi
  fi
fi

printf '\n%-12s %10s %10s %14s\n' "build" "cold s" "no-change s" "one-file edit s"
for r in "${rows[@]}"; do
  printf '%-12s %10s %10s %14s\n' "$r" "${result[$r,cold]}" "${result[$r,warm]}" "${result[$r,edit]}"
done
for r in "${rows[@]:1}"; do
  awk -v c="${result[$r,cold]}" -v w="${result[$r,warm]}" -v e="${result[$r,edit]}" \
      -v pc="${result[plain,cold]}" -v pw="${result[plain,warm]}" -v pe="${result[plain,edit]}" -v r="$r" \
      'BEGIN { printf "%s / plain: cold %.2fx, no change %.2fx, one-file edit %.2fx\n", r, c / pc, w / pw, e / pe }'
done
echo "goals (ddt): cold <= 1.15x, no change <= 2x"
