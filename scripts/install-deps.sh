#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
#
# Installs every Debian 12 package pfstudio needs to build, run and test.
# Runs apt-get as root, or through sudo when started by another user.
set -euo pipefail

packages=(
    # toolchain
    build-essential cmake ninja-build ccache pkg-config git clang-format clang-tidy
    # Qt 6 (studio, server and agent)
    qt6-base-dev qt6-base-dev-tools qt6-charts-dev qt6-websockets-dev qt6-svg-dev
    libqt6sql6-sqlite libqt6sql6-psql qtkeychain-qt6-dev libqscintilla2-qt6-dev
    libqt6opengl6-dev libgl-dev libxkbcommon-dev
    # libraries
    libboost1.74-dev libsodium-dev libssl-dev libyaml-cpp-dev libvalijson-dev libzip-dev rapidjson-dev
    # tests and benchmarks
    libgtest-dev libgmock-dev libbenchmark-dev openssl
    # jobs, keychain and headless GUI
    bubblewrap python3 python3-numpy xvfb xauth dbus dbus-x11 gnome-keyring libsecret-tools
    # PostgreSQL for the store's second backend
    postgresql
)
# Node.js and npm run the S3-compatible server of the S3 client tests
# (tests/s3). A machine that already has them (NodeSource's nodejs bundles
# npm) keeps its own: Debian's npm would conflict with it.
if ! command -v node >/dev/null || ! command -v npm >/dev/null; then
    packages+=(nodejs npm)
fi

missing=()
for p in "${packages[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if [ ${#missing[@]} -eq 0 ]; then
    echo "install-deps: all ${#packages[@]} packages present"
else
    sudo=()
    [ "$(id -u)" -eq 0 ] || sudo=(sudo)
    export DEBIAN_FRONTEND=noninteractive
    "${sudo[@]}" apt-get update -q
    "${sudo[@]}" apt-get install -y -q --no-install-recommends "${missing[@]}"
fi

# The S3 test server, pinned by tests/s3/package-lock.json, into
# tests/s3/node_modules: from the npm registry on the first run and whenever
# the lock file changes (npm writes node_modules/.package-lock.json last).
s3=$(cd "$(dirname "$0")/../tests/s3" && pwd)
if [ ! "$s3/node_modules/.package-lock.json" -nt "$s3/package-lock.json" ]; then
    npm ci --prefix "$s3" --no-audit --no-fund
else
    echo "install-deps: tests/s3 npm packages present"
fi
