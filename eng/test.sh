#!/usr/bin/env bash
# README command 2: installs what the integration tests drive (when missing), then runs every test.
# The tests use real clients: poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm), qpdf, LibreOffice (impress,
# writer) and Chromium, and fonts with CJK, Arabic/Hebrew and emoji glyphs; they start the console host as a process,
# send it signals (procps) and mount small tmpfs disks (util-linux; needs root).
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(poppler-utils qpdf libreoffice-impress libreoffice-writer chromium fonts-dejavu-core fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji procps util-linux)
missing=()
for package in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

if (( ${#missing[@]} > 0 )); then
  if [[ $(id -u) -ne 0 ]]; then
    echo "error: the integration tests need these Debian packages: ${missing[*]}. Install them (sudo apt-get install ${missing[*]}) or run this script as root." >&2
    exit 1
  fi

  echo "== installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

dotnet test "$@"
