#!/usr/bin/env bash
# README command 2: installs what the integration tests drive (when missing), then runs every test.
# The tests use real clients: poppler-utils (pdftotext, pdfinfo, pdffonts, pdftoppm), qpdf, LibreOffice (impress,
# writer, calc) and Chromium, and fonts with CJK, Arabic/Hebrew and emoji glyphs; they start the console host as a process,
# send it signals (procps) and mount small tmpfs disks (util-linux; needs root). The email tests send to a real SMTP
# server, the smtp-server npm package run by Node.js (20.19 or later): its node_modules are installed from the
# committed package-lock.json when missing or older than it.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(poppler-utils qpdf libreoffice-impress libreoffice-writer libreoffice-calc chromium fonts-dejavu-core fonts-noto-cjk fonts-noto-core fonts-noto-color-emoji procps util-linux)
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

smtp=tests/ContentAgent.TestServers/smtp
if [[ ! -f "$smtp/node_modules/.package-lock.json" || "$smtp/package-lock.json" -nt "$smtp/node_modules/.package-lock.json" ]]; then
  if ! command -v npm >/dev/null 2>&1; then
    echo "error: the SMTP tests need Node.js 20.19+ and npm (to install $smtp/node_modules): install them, then run this script again." >&2
    exit 1
  fi

  echo "== installing the SMTP test server's npm packages ($smtp)"
  npm ci --prefix "$smtp" --no-audit --no-fund
fi

dotnet test "$@"
