#!/usr/bin/env bash
# Instrument speed on a large tree: `ddt instrument -l ./...` against
# `gofmt -l .` and `go list ./...` on the same copy of golang.org/x/tools
# (in the module cache already: ddt requires it), with a few directives
# added. Not part of CI. Run from anywhere:
#
#   bash bench/instrument/run.sh        # N=5 runs of each
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-5}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
export GOTOOLCHAIN=local GOFLAGS=-mod=mod

echo "# $(go version); $(nproc) CPUs; $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //'); load $(cut -d' ' -f1-3 /proc/loadavg)"
echo "# ddt: $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"

version=$(cd "$repo" && go list -m -f '{{.Version}}' golang.org/x/tools)
src=$(cd "$repo" && go mod download -json "golang.org/x/tools@$version" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
tree="$work/tools"
cp -r "$src" "$tree"
chmod -R u+w "$tree"
# testdata holds deliberately malformed files that gofmt reports and the go
# command never builds.
find "$tree" -type d -name testdata -prune -exec rm -rf {} +
(cd "$repo" && go build -o "$work/ddt" ./cmd/ddt)
(cd "$tree" && go mod download && go list -deps ./... >/dev/null)

# A few directives, on functions of different packages.
mark() { sed -i "s|^$2|//ddt:trace\n&|" "$tree/$1"; grep -q '^//ddt:trace' "$tree/$1"; }
mark go/packages/packages.go 'func Load('
mark go/ast/astutil/imports.go 'func AddImport('
mark go/types/typeutil/map.go 'func (m \*Map) At('
mark internal/diff/diff.go 'func Apply('
files=$(find "$tree" -name '*.go' | wc -l)
lines=$(find "$tree" -name '*.go' -exec cat {} + | wc -l)

echo "# tree: golang.org/x/tools@$version without testdata: $files files, $lines lines, 4 //ddt:trace directives; runs: $N"

# seconds CMD... runs CMD in the tree quietly and prints how long it took;
# a command that fails stops the script (a fast failure is not a figure).
seconds() {
  local start end
  start=$(date +%s.%N)
  if ! (cd "$tree" && "$@" >"$work/last.log" 2>&1); then
    echo "bench: failed: $*" >&2
    tail -20 "$work/last.log" >&2
    exit 1
  fi
  end=$(date +%s.%N)
  awk -v a="$start" -v b="$end" 'BEGIN { printf "%.3f\n", b - a }'
}
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }

# Timed runs touch no network: everything they need is downloaded above.
export GOPROXY=off GOSUMDB=off GOWORK=off

# Warm the caches once.
seconds "$work/ddt" instrument -l ./... >/dev/null
seconds gofmt -l . >/dev/null
seconds go list ./... >/dev/null

declare -A runs
for ((i = 0; i < N; i++)); do
  runs[ddt]+="$(seconds "$work/ddt" instrument -l ./...) "
  runs[gofmt]+="$(seconds gofmt -l .) "
  runs[golist]+="$(seconds go list ./...) "
done
ddt=$(tr ' ' '\n' <<<"${runs[ddt]}" | grep . | median)
gofmt=$(tr ' ' '\n' <<<"${runs[gofmt]}" | grep . | median)
golist=$(tr ' ' '\n' <<<"${runs[golist]}" | grep . | median)
listed=$(cd "$tree" && "$work/ddt" instrument -l ./... 2>/dev/null | wc -l)

printf '\n%-28s %10s %8s\n' "command" "median s" "runs"
printf '%-28s %10s   %s\n' "ddt instrument -l ./..." "$ddt" "${runs[ddt]}"
printf '%-28s %10s   %s\n' "gofmt -l ." "$gofmt" "${runs[gofmt]}"
printf '%-28s %10s   %s\n' "go list ./..." "$golist" "${runs[golist]}"
awk -v d="$ddt" -v f="$gofmt" -v l="$golist" 'BEGIN { printf "\nddt / gofmt: %.2fx; ddt / go list: %.2fx (goal: ddt within 1.5x of gofmt)\n", d / f, d / l }'
echo "ddt listed $listed files to instrument"
