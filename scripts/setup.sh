#!/usr/bin/env bash
# Installs what building and testing the portal needs, idempotently: each step checks first and
# does nothing when the tool is already there at the pinned version (a warm run takes seconds).
#
#   scripts/setup.sh run    what `scripts/run.sh` needs (toolchain pieces, npm packages)
#   scripts/setup.sh test   the above plus Chromium, PostgreSQL, Redis and the Playwright package
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh
. tools.versions
mode=${1:-test}

sudo_if_needed() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

apt_packages=()
need_apt() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed' || apt_packages+=("$1"); }
command -v npm >/dev/null || { need_apt nodejs; need_apt npm; }
command -v python3 >/dev/null || need_apt python3
need_apt pkg-config
need_apt fonts-noto-cjk          # Japanese glyphs for screenshots and PDFs
if [ "$mode" = test ]; then
  need_apt chromium
  need_apt postgresql
  need_apt redis-server
  need_apt poppler-utils         # pdftotext: the invoice PDF test reads the text back
fi
if [ ${#apt_packages[@]} -gt 0 ]; then
  say "apt: installing ${apt_packages[*]}"
  sudo_if_needed apt-get update -qq
  # The Debian postgresql package would start a cluster on 5432; the tests never use it.
  DEBIAN_FRONTEND=noninteractive sudo_if_needed apt-get install -y -qq --no-install-recommends "${apt_packages[@]}"
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  say "rustup: adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi
if [ "$(cargo leptos --version 2>/dev/null)" != "cargo-leptos $CARGO_LEPTOS" ]; then
  say "cargo: installing cargo-leptos $CARGO_LEPTOS (about 12 minutes, once)"
  # no_downloads: a missing tool is named instead of fetched from the internet.
  cargo install "cargo-leptos@$CARGO_LEPTOS" --locked --features no_downloads
fi
if [ "$(wasm-bindgen --version 2>/dev/null)" != "wasm-bindgen $WASM_BINDGEN" ]; then
  say "cargo: installing wasm-bindgen-cli $WASM_BINDGEN (about 2 minutes, once)"
  cargo install wasm-bindgen-cli --version "$WASM_BINDGEN" --locked
fi

# npm ci only when the lockfile changed since the last install.
npm_ci() {
  local dir=$1
  if [ ! -f "$dir/node_modules/.package-lock.json" ] || [ "$dir/package-lock.json" -nt "$dir/node_modules/.package-lock.json" ]; then
    say "npm: installing $dir packages from the lockfile"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error)
  fi
}
npm_ci .
[ "$mode" = test ] && npm_ci end2end
exit 0
