#!/usr/bin/env bash
# Installs the Debian packages the project needs, by name, when they are missing.
# Usage: scripts/install-deps.sh [build|test|bench]...   (build is always included)
set -euo pipefail

build_pkgs=(build-essential cmake ninja-build ccache pkg-config
  libboost1.81-all-dev libboost-json1.81-dev libboost-url1.81-dev libssl-dev ca-certificates
  libcli11-dev libtomlplusplus-dev libmimalloc-dev libsqlite3-dev)
# clang and its runtimes (libFuzzer, sanitizers; only recommended by clang): the fuzz targets (fuzz/).
test_pkgs=(libgtest-dev libgmock-dev openssl clang libclang-rt-14-dev)
bench_pkgs=(nginx-light wrk nghttp2-client valgrind python3)

want=("${build_pkgs[@]}")
for group in "$@"; do
  case "$group" in
    build) ;;
    test) want+=("${test_pkgs[@]}") ;;
    bench) want+=("${bench_pkgs[@]}") ;;
    *) echo "install-deps: unknown group '$group'" >&2; exit 2 ;;
  esac
done
# Node.js (only when the machine has none): the build generates the tokenizer's tables with it
# (src/tokenize), and the end-to-end tests run the official SDKs on it.
if ! command -v node >/dev/null 2>&1; then
  want+=(nodejs npm)
fi

missing=()
for p in "${want[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" = 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
  # Debian starts nginx on install; the benchmark runs its own instance.
  if [[ " ${missing[*]} " == *" nginx-light "* ]]; then
    $SUDO service nginx stop >/dev/null 2>&1 || true
  fi
fi
