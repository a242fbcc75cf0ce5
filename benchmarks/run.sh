#!/usr/bin/env bash
# Runs the BenchmarkDotNet suites in Release and keeps the Markdown reports in benchmarks/results/.
# Usage: bash benchmarks/run.sh [BenchmarkDotNet filter, default '*']
set -euo pipefail
cd "$(dirname "$0")/.."
filter=${1:-*}
artifacts=benchmarks/results/artifacts
dotnet run -c Release --project benchmarks/ContentAgent.Benchmarks -- --filter "$filter" --artifacts "$artifacts" --join
echo
for report in "$artifacts"/results/*-report-github.md; do
  echo "== $report"
  cat "$report"
done
