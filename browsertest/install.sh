#!/usr/bin/env bash
# Installs what the browser tests (TestBrowser in generator/internal/site)
# need: Debian's chromium and the npm packages of this folder. Run as root
# (CI is); safe to run again.
#
# Each piece is installed only when missing: a machine whose Node.js does not
# come from Debian cannot take Debian's npm package beside it (apt refuses the
# pair as broken), so node and npm are asked for only when absent.
set -euo pipefail
cd "$(dirname "$0")"
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v node >/dev/null 2>&1 || need+=(nodejs)
command -v npm >/dev/null 2>&1 || need+=(npm)
if [ ${#need[@]} -gt 0 ]; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need[@]}" >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
