#!/usr/bin/env bash
# Whole-process cost of `package`: starts the console host (Release) once per run, as a user would, on a 50-post batch,
# for each format alone and for all three. Prints the median of N runs in milliseconds (wall clock, process start to exit).
# Usage: bash benchmarks/package-process.sh [runs, default 7]
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-7}
dotnet build -c Release samples/ContentAgent.Console -v q -nologo >/dev/null
host=$(pwd)/samples/ContentAgent.Console/bin/Release/net10.0/ContentAgent.Console.dll
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
cd "$work"
plan=$(dotnet "$host" batch "Create 50 posts for LinkedIn and X about AI, productivity and remote work" --yes </dev/null | grep -oP '· plan \K\S+')
echo "batch $plan (50 posts), $runs runs per format"
for formats in pdf pptx html pdf,pptx,html; do
  times=()
  for _ in $(seq "$runs"); do
    start=$(date +%s%N)
    dotnet "$host" package "$plan" --formats "$formats" >/dev/null
    end=$(date +%s%N)
    times+=($(( (end - start) / 1000000 )))
  done
  median=$(printf '%s\n' "${times[@]}" | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')
  echo "package --formats $formats: median ${median} ms (runs: ${times[*]})"
done
