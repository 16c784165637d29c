#!/usr/bin/env bash
# One-file-edit and no-change rebuilds of APP (default miniflux), plain go build and
# ddt build taken in turns (run.sh takes all of go build's runs, then all of
# ddt's, so a change in the machine's load between them moves the ratio).
# Same app, marks and edit as run.sh; warm caches of their own. Run from
# anywhere: N=7 bash bench/build/interleaved.sh
# Another app from the module proxy: APP (module@version), TARGETS (a file of
# path:start-of-func-line lines to mark) and EDITED (the file the edit touches), e.g.
#   APP=github.com/ory/kratos@v1.3.1 TARGETS=bench/build/kratos-targets.txt \
#   EDITED=selfservice/flow/login/handler.go N=5 bash bench/build/interleaved.sh
# RULE adds a call-site rule (a //ddt:calls line) in a file of its own in the
# app's root package, e.g. RULE='//ddt:calls trace (*net/http.Client).Do'.
set -euo pipefail
repo=$(cd "$(dirname "$0")/../.." && pwd)
N=${N:-7}
work=$(mktemp -d)
trap 'chmod -R u+w "$work" 2>/dev/null; rm -rf "$work"' EXIT
DDT=$work/ddt
(cd "$repo" && go build -o "$DDT" ./cmd/ddt)
echo "# $(go version); $(nproc) CPUs; load $(cut -d' ' -f1-3 /proc/loadavg); ddt $(cd "$repo" && git describe --always --dirty 2>/dev/null || echo unknown)"
export GOTOOLCHAIN=local GOFLAGS=-mod=mod CGO_ENABLED=0
APP=${APP:-miniflux.app/v2@v2.2.14}
src=$(cd /tmp && go mod download -json "$APP" | sed -n 's/^[[:space:]]*"Dir": "\(.*\)",$/\1/p')
if [ "$APP" != "miniflux.app/v2@v2.2.14" ]; then
  mapfile -t targets < "${TARGETS:?TARGETS: a file of path:func-line-prefix lines to mark}"
else
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
fi
cp -r "$src" $work/plain; cp -r "$src" $work/app; chmod -R u+w $work/plain $work/app
# A module zip leaves out nested modules, so a replacement by one of its
# directories (kratos: ./internal/client-go) points nowhere: use the
# module proxy's version instead, in both copies alike.
for d in $work/plain $work/app; do
  (cd $d && go mod edit -print | sed -n 's/^[[:space:]]*\(replace[[:space:]]*\)\{0,1\}\([^/[:space:]][^[:space:]]*\)\( [^ ]*\)\{0,1\} => \(\.[^[:space:]]*\)$/\2 \4/p' |
    while read -r mod dir; do [ -f "$dir/go.mod" ] || go mod edit -dropreplace="$mod"; done)
done
for t in "${targets[@]}"; do f=${t%%:*}; p=${t#*:}; sed -i "s|^$p|//ddt:trace\n&|" $work/app/$f; done
if [ -n "${RULE:-}" ]; then
  printf 'package %s\n\n%s\n' "$(cd $work/app && go list -f '{{.Name}}' .)" "$RULE" > $work/app/ddt_rules.go
fi
edited=${EDITED:-internal/ui/unread_entries.go}
(cd $work/plain && GOCACHE=$work/cache-plain go build -o $work/p.bin . )
(cd $work/app && GOCACHE=$work/cache-app $DDT instrument ./... >/dev/null; GOCACHE=$work/cache-app $DDT build -o $work/d.bin . >/dev/null; GOCACHE=$work/cache-app $DDT build -o $work/d.bin . )
t() { local s=$(date +%s.%N); "$@" >/dev/null 2>&1 || { echo FAIL "$@"; "$@"; exit 1; }; awk -v a=$s -v b=$(date +%s.%N) 'BEGIN{printf "%.2f", b-a}'; }
for i in $(seq $N); do
  echo "// edit $i" >> $work/plain/$edited
  p=$(cd $work/plain && GOCACHE=$work/cache-plain t go build -o $work/p.bin .)
  echo "// edit $i" >> $work/app/$edited
  d=$(cd $work/app && GOCACHE=$work/cache-app t $DDT build -o $work/d.bin .)
  pn=$(cd $work/plain && GOCACHE=$work/cache-plain t go build -o $work/p.bin .)
  dn=$(cd $work/app && GOCACHE=$work/cache-app t $DDT build -o $work/d.bin .)
  echo "edit: plain $p ddt $d   no change: plain $pn ddt $dn"
done | tee $work/runs
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2) ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
pe=$(awk '{print $3}' $work/runs | median); de=$(awk '{print $5}' $work/runs | median)
pn=$(awk '{print $9}' $work/runs | median); dn=$(awk '{print $11}' $work/runs | median)
awk -v pe=$pe -v de=$de -v pn=$pn -v dn=$dn 'BEGIN { printf "medians: one-file edit %.2f vs %.2f s (%.2fx), no change %.2f vs %.2f s (%.2fx)\n", de, pe, de / pe, dn, pn, dn / pn }'
