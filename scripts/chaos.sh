#!/usr/bin/env bash
# The provisioning chaos test at a chosen size, with its figures printed (BENCHMARKS.md):
#   scripts/chaos.sh [N]          N orders (default 1000), kills + faults + event chaos
#   CHAOS_CALM=1 scripts/chaos.sh throughput and latency without kills or faults
# Postgres + Redis run too when PORTAL_TEST_POSTGRES_URL and PORTAL_TEST_REDIS_URL are set
# (scripts/test.sh starts throwaway ones; see its start_postgres/start_redis).
set -euo pipefail
cd "$(dirname "$0")/.."
export CHAOS_ORDERS="${1:-1000}"
exec cargo test --features ssr --locked --test integration provisioning_chaos -- --nocapture --test-threads 1
