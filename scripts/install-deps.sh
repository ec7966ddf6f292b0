#!/usr/bin/env bash
# Installs what building and testing merit needs on Debian 12, and nothing
# that is already there. Safe to run again. Run as root or with sudo rights.
set -euo pipefail
sudo_cmd=""
if [ "$(id -u)" -ne 0 ]; then sudo_cmd="sudo"; fi

packages=(build-essential cmake ninja-build pkg-config
          libeigen3-dev libboost-dev nlohmann-json3-dev catch2)
# clang with libFuzzer and its sanitizer runtimes for the fuzz targets (tests/fuzz).
packages+=(clang libfuzzer-14-dev libclang-rt-14-dev)
# Java (17: records) and Maven for the Java library (bindings/java) and its consumer (examples/java).
command -v mvn > /dev/null || packages+=(maven)
command -v javac > /dev/null || packages+=(default-jdk-headless)
# merit kit's printable guide and merit report's reports are checked in headless
# Chromium (tests/kit, tests/report): chromium, pdftotext (poppler-utils) and Chinese fonts.
command -v chromium > /dev/null || packages+=(chromium)
command -v pdftotext > /dev/null || packages+=(poppler-utils)
packages+=(fonts-wqy-microhei)
# merit report's Chinese labels in a real CJK font (tests/report: fc-list :lang=zh, pdftotext).
packages+=(fonts-noto-cjk)
# R with psych: tests/python/test_stats.py computes reference ICCs with psych::ICC by Rscript.
packages+=(r-cran-psych)
# R psychometric and mvtnorm: tests/validity/reference.R regenerates the validity reference values.
packages+=(r-cran-psychometric r-cran-mvtnorm)
# merit serve: OpenSSL's libcrypto (API key hashes, webhook HMAC-SHA256); wrk
# for its load test (bench/serve_load.sh). Boost.Beast comes with libboost-dev.
packages+=(libssl-dev wrk)
# ccache: scripts/test.sh compiles through it when present (MERIT_CCACHE=0: not).
packages+=(ccache)
# pgrep (tests/cli/faults_test.sh: no process may survive a SIGKILL test).
command -v pgrep > /dev/null || packages+=(procps)
# Python 3 with venv, only when the machine has no usable python3.
if ! python3 -c 'import venv, ensurepip' > /dev/null 2>&1; then packages+=(python3 python3-venv python3-dev); fi

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2> /dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "merit: installing ${missing[*]}" >&2
  $sudo_cmd apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo_cmd apt-get install -y -qq "${missing[@]}" > /dev/null
fi
