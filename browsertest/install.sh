#!/usr/bin/env bash
# Installs what the browser tests (TestBrowser in generator/internal/site)
# need: Debian's chromium and the npm packages of this folder. Run as root
# (CI is); safe to run again.
set -euo pipefail
cd "$(dirname "$0")"
if ! command -v chromium >/dev/null 2>&1 || ! command -v node >/dev/null 2>&1; then
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq chromium nodejs npm >/dev/null
fi
npm ci --no-audit --no-fund --loglevel=error
