#!/usr/bin/env bash
# Runs the portal in embedded sandbox mode: SQLite under ./data, in-process cache, provider
# simulators on loopback. Installs what is missing first. Open the address it prints.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh run
exec cargo leptos serve "$@"
