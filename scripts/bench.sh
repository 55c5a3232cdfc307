#!/usr/bin/env bash
# Measures what BENCHMARKS.md records. Not part of the test suite (numbers, not assertions).
#   scripts/bench.sh sizes      release WASM/JS/CSS sizes: raw, gzip -9, brotli -q 11
#   scripts/bench.sh startup    embedded-mode start-to-ready time and idle RSS (release binary), 5 runs
#   scripts/bench.sh builds     clean and incremental debug build times (slow: a clean build)
#   scripts/bench.sh incremental  incremental debug build times only
set -euo pipefail
cd "$(dirname "$0")/.."
. scripts/lib.sh

sizes() {
  cargo leptos build --release >/dev/null 2>&1
  printf '| artefact | raw | gzip -9 | brotli -q 11 |\n|---|---:|---:|---:|\n'
  local total_br=0
  for f in target/site/pkg/portal.wasm target/site/pkg/portal.js target/site/pkg/portal.css; do
    local raw gz br
    raw=$(stat -c %s "$f"); gz=$(gzip -9 -c "$f" | wc -c); br=$(brotli -q 11 -c "$f" | wc -c)
    total_br=$((total_br + br))
    printf '| %s | %s | %s | %s |\n' "$(basename "$f")" "$raw" "$gz" "$br"
  done
  printf '| **total (brotli)** | | | **%s** |\n' "$total_br"
}

startup() {
  [ -x target/release/portal ] || cargo leptos build --release >/dev/null 2>&1
  for run in 1 2 3 4 5; do
    local dir port start pid ready_ms rss
    dir=$(mktemp -d); port=$(free_port)
    start=$(date +%s%N)
    DATABASE_URL="sqlite://$dir/portal.db" LEPTOS_SITE_ADDR="127.0.0.1:$port" LEPTOS_SITE_ROOT=target/site \
      LEPTOS_OUTPUT_NAME=portal PORTAL__LOG__FILTER=warn target/release/portal serve >/dev/null 2>&1 &
    pid=$!
    until curl -fs "http://127.0.0.1:$port/ready" >/dev/null 2>&1; do sleep 0.005; done
    ready_ms=$(( ($(date +%s%N) - start) / 1000000 ))
    sleep 3
    rss=$(awk '/VmRSS/ {print $2}' "/proc/$pid/status")
    kill -TERM "$pid"; wait "$pid" 2>/dev/null || true
    rm -rf "$dir"
    echo "run $run: start-to-ready ${ready_ms} ms, idle RSS $((rss / 1024)) MiB"
  done
}

builds() {
  cargo clean >/dev/null 2>&1
  local t0 t1
  t0=$(date +%s); cargo leptos build >/dev/null 2>&1; t1=$(date +%s)
  echo "clean debug build: $((t1 - t0)) s"
  incremental
}

incremental() {
  local t0 t1
  cargo leptos build >/dev/null 2>&1
  sed -i 's/"Welcome"/"Welcome!"/' locales/en.json
  t0=$(date +%s%N); cargo leptos build >/dev/null 2>&1; t1=$(date +%s%N)
  sed -i 's/"Welcome!"/"Welcome"/' locales/en.json
  echo "incremental debug build (one translation changed): $(( (t1 - t0) / 1000000 )) ms"
  touch src/pages/status_page.rs
  t0=$(date +%s%N); cargo leptos build >/dev/null 2>&1; t1=$(date +%s%N)
  echo "incremental debug build (one page touched): $(( (t1 - t0) / 1000000 )) ms"
}

case "${1:-}" in
  sizes) sizes ;;
  startup) startup ;;
  builds) builds ;;
  incremental) incremental ;;
  *) echo "usage: $0 sizes|startup|builds" >&2; exit 2 ;;
esac
