#!/bin/sh
# bench.sh prints the search figures for the bundled notes, or for the corpus
# folder given as $1: index build time, index bytes raw and gzipped, and the
# bytes a browser downloads for a first one-word query (rare and common word).
# SEARCH_BENCH_SYNTH=N uses N synthetic documents instead.
set -e
cd "$(dirname "$0")"
if [ -n "$1" ]; then SEARCH_BENCH_DIR=$(cd "$1" && pwd); export SEARCH_BENCH_DIR; fi
SEARCH_BENCH=1 go test -count=1 -run '^TestBenchReport$' -v . | grep -v -e '^=== RUN' -e '^--- ' -e '^PASS' -e '^ok '
