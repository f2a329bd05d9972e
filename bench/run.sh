#!/usr/bin/env bash
# make bench: builds release binaries (done by make) and runs the benchmark suite.
# Environment: BENCH_RUNS (default 3), BENCH_ONLY (comma-separated workload names), BENCH_BIN (binary dir).
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 bench/bench.py "$@"
