#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
#
# The project's two entry points for a fresh Debian 12 machine:
#   scripts/dev.sh run    install what is needed, build, start the studio on the local server
#   scripts/dev.sh test   install what is needed, build, run every test
# Other commands: deps, build [preset], format, format-check, tidy.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$PWD

jobs=${PF_JOBS:-2}
export CCACHE_BASEDIR=$root
export CCACHE_DIR=${CCACHE_DIR:-$HOME/.cache/ccache}
export CCACHE_MAXSIZE=${CCACHE_MAXSIZE:-5G}

deps() { "$root/scripts/install-deps.sh"; }

build() {
    local preset=$1
    cmake --preset "$preset" >/dev/null
    cmake --build --preset "$preset" -j "$jobs"
}

sources() {
    git ls-files -- '*.cpp' '*.h' 2>/dev/null || find api network models ui app server agent tests bench -name '*.cpp' -o -name '*.h'
}

format_check() {
    local bad
    bad=$(sources | xargs clang-format --dry-run -Werror 2>&1 | grep -oE '^[^:]+\.(cpp|h)' | sort -u || true)
    if [ -n "$bad" ]; then
        echo "clang-format: these files are not formatted (run scripts/dev.sh format):" >&2
        echo "$bad" >&2
        return 1
    fi
    echo "clang-format: all $(sources | wc -l) files formatted"
}

run_tests() {
    local preset=$1 log
    log=$(mktemp)
    # Keychain tests need a Secret Service on a session bus; GUI tests run
    # offscreen. PostgreSQL tests run when a throwaway server can be started.
    if [ -z "${PF_TEST_POSTGRES_URL:-}" ] && [ -x scripts/start-test-postgres.sh ]; then
        PF_TEST_POSTGRES_URL=$(scripts/start-test-postgres.sh 2>/dev/null | tail -n 1) || PF_TEST_POSTGRES_URL=
        export PF_TEST_POSTGRES_URL
    fi
    export QT_QPA_PLATFORM=offscreen
    set +e
    dbus-run-session -- bash -c '
        echo -n pfstudio | gnome-keyring-daemon --unlock >/dev/null 2>&1
        gnome-keyring-daemon --start --components=secrets >/dev/null 2>&1
        ctest --preset "$0" --output-on-failure -j "$1"' "$preset" "$jobs" 2>&1 | tee "$log"
    local status=${PIPESTATUS[0]}
    set -e
    # End with CTest's summary line.
    grep -E '^[0-9]+% tests passed' "$log" | tail -n 1
    rm -f "$log"
    return "$status"
}

case "${1:-}" in
deps) deps ;;
build) deps; build "${2:-default}" ;;
run)
    deps
    build release
    exec build/release/bin/periflow-studio --local
    ;;
test)
    deps
    [ "${CI:-}" = true ] && format_check
    build ci
    run_tests ci
    ;;
format) sources | xargs clang-format -i ;;
format-check) format_check ;;
tidy)
    build default
    sources | grep '\.cpp$' | grep -v '^tests/' | xargs -P "$jobs" -n 4 clang-tidy -p build/default --quiet
    ;;
*)
    echo "usage: scripts/dev.sh run|test|deps|build [preset]|format|format-check|tidy" >&2
    exit 2
    ;;
esac
