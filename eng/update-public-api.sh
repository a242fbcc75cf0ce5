#!/usr/bin/env bash
# Brings the project's PublicAPI.Unshipped.txt in line with its public surface (PublicApiAnalyzers RS0016/RS0017).
# Usage: bash eng/update-public-api.sh src/ContentAgent.Core
set -euo pipefail
project=${1:?usage: eng/update-public-api.sh <project folder>}
log=$(dotnet build "$project" 2>&1 || true)
# Symbols declared but gone (RS0017) leave the file; undeclared public symbols (RS0016) join it.
echo "$log" | grep -oP "error RS0017: Symbol '\K.*(?=' is part of the declared API)" | sort -u > "$project/.removed.tmp" || true
if [[ -s "$project/.removed.tmp" ]]; then
  grep -vxF -f "$project/.removed.tmp" "$project/PublicAPI.Unshipped.txt" > "$project/.kept.tmp" || true
  mv "$project/.kept.tmp" "$project/PublicAPI.Unshipped.txt"
fi
rm -f "$project/.removed.tmp"
echo "$log" | grep -oP "error RS0016: Symbol '\K.*(?=' is not part of the declared public API)" | sort -u >> "$project/PublicAPI.Unshipped.txt" || true
sort -u -o "$project/PublicAPI.Unshipped.txt.tmp" <(grep -v '^#nullable enable$' "$project/PublicAPI.Unshipped.txt")
{ echo '#nullable enable'; cat "$project/PublicAPI.Unshipped.txt.tmp"; } > "$project/PublicAPI.Unshipped.txt"
rm "$project/PublicAPI.Unshipped.txt.tmp"
