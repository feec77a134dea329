#!/bin/sh
# search-bench.sh prints the search figures of a content folder (default:
# the bundled notes): the site build, the search index build (median of
# RUNS, default 5) alternating with Pagefind's index build of the same built
# site and their ratio, the index size raw and gzipped, the bytes a browser
# downloads for a first one-word query (a rare word and the word in most
# pages, client JS included) and query latency in headless Chromium.
#
#   scripts/search-bench.sh [CONTENT_DIR]
#   PAGEFIND=/path/to/pagefind  use this Pagefind instead of installing it
#   RUNS=3                      fewer runs (a 10,000-note corpus)
#
# It needs Go, Node, browsertest/node_modules (browsertest/install.sh) and
# chromium; Pagefind comes from npm into a temporary folder.
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
content=$(cd "${1:-$root/content}" && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$root"
go build -o "$work/gen" ./cmd/gen
if [ -z "${PAGEFIND:-}" ]; then
  (cd "$work" && npm init -y >/dev/null 2>&1 && npm install --no-audit --no-fund --loglevel=error pagefind@1 >/dev/null 2>&1)
  PAGEFIND="$work/node_modules/.bin/pagefind"
fi
echo "== $(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg); $("$PAGEFIND" --version)"
start=$(date +%s.%N)
"$work/gen" build --content "$content" --out "$work/site" --force --quiet
end=$(date +%s.%N)
echo "gen build (whole site, search index included): $(printf "%.2f" "$(echo "$end - $start" | bc)") s; $(find "$work/site" -name '*.html' | wc -l) HTML pages"
echo "== index build, gen alternating with Pagefind"
(cd generator && GEN_SEARCH_BENCH=1 GEN_SEARCH_BENCH_CONTENT="$content" GEN_SEARCH_BENCH_SITE="$work/site" \
  GEN_SEARCH_BENCH_RUNS="${RUNS:-5}" PAGEFIND="$PAGEFIND" \
  go test -count=1 -v -timeout 60m -run '^TestSearchIndexBench$' . | grep -v -e '^=== ' -e '^--- ' -e '^PASS' -e '^ok ')
echo "== in the browser"
node browsertest/search-bench.mjs "$work/site" "${GEN_CHROMIUM:-/usr/bin/chromium}"
