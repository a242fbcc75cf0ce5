#!/usr/bin/env bash
# Adds every public symbol the PublicApiAnalyzers report as undeclared (RS0016) to the project's PublicAPI.Unshipped.txt.
# Usage: bash eng/update-public-api.sh src/ContentAgent.Core
set -euo pipefail
project=${1:?usage: eng/update-public-api.sh <project folder>}
dotnet build "$project" 2>&1 \
  | grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" \
  | sort -u >> "$project/PublicAPI.Unshipped.txt" || true
sort -u -o "$project/PublicAPI.Unshipped.txt.tmp" <(grep -v '^#nullable enable$' "$project/PublicAPI.Unshipped.txt")
{ echo '#nullable enable'; cat "$project/PublicAPI.Unshipped.txt.tmp"; } > "$project/PublicAPI.Unshipped.txt"
rm "$project/PublicAPI.Unshipped.txt.tmp"
