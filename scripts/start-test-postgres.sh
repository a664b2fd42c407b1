#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# SPDX-FileCopyrightText: 2026 The pfstudio authors
#
# Starts a throwaway PostgreSQL cluster for the store tests and prints the URL
# to put in PF_TEST_POSTGRES_URL as the last line on stdout:
#
#   export PF_TEST_POSTGRES_URL=$(scripts/start-test-postgres.sh | tail -n1)
#
# Usage: start-test-postgres.sh [PORT]   (default 55432)
#
# Idempotent: an existing cluster is reused and a running one left alone. The
# cluster trusts every local connection, listens on 127.0.0.1 only and lives in
# $PF_PGTEST_DIR (default /tmp/pgtest-PORT). As root it runs as the `postgres`
# user (PostgreSQL refuses to run as root). Stop it with
#   pg_ctl -D /tmp/pgtest-PORT/data stop
set -euo pipefail

port=${1:-55432}
case $port in
'' | *[!0-9]*)
    echo "start-test-postgres.sh: the port must be a number, got '$port'" >&2
    exit 2
    ;;
esac
dir=${PF_PGTEST_DIR:-/tmp/pgtest-$port}
user=pf

bindir=${PG_BINDIR:-}
if [ -z "$bindir" ]; then
    for d in $(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V -r); do
        if [ -x "$d/initdb" ]; then
            bindir=$d
            break
        fi
    done
fi
if [ -z "$bindir" ] && command -v initdb >/dev/null; then
    bindir=$(dirname "$(command -v initdb)")
fi
if [ -z "$bindir" ] || [ ! -x "$bindir/initdb" ] || [ ! -x "$bindir/pg_ctl" ]; then
    echo "start-test-postgres.sh: PostgreSQL's initdb/pg_ctl not found (install postgresql)" >&2
    exit 1
fi

# Runs a command as the cluster's owner: `postgres` when we are root.
as_owner() {
    if [ "$(id -u)" -eq 0 ]; then
        if command -v runuser >/dev/null; then
            runuser -u postgres -- "$@"
        else
            su postgres -s /bin/sh -c "$(printf '%q ' "$@")"
        fi
    else
        "$@"
    fi
}

mkdir -p "$dir"
if [ "$(id -u)" -eq 0 ]; then
    chown postgres "$dir"
fi

if [ ! -f "$dir/data/PG_VERSION" ]; then
    as_owner "$bindir/initdb" -D "$dir/data" -A trust -U "$user" >/dev/null
fi

if ! as_owner "$bindir/pg_ctl" -D "$dir/data" status >/dev/null 2>&1; then
    as_owner "$bindir/pg_ctl" -D "$dir/data" -w -t 60 -l "$dir/log" \
        -o "-p $port -k $dir -c listen_addresses=127.0.0.1" start >/dev/null
fi

# Bounded wait until the server accepts connections (pg_ctl -w normally
# covers it; this also covers a cluster that was still starting up).
if [ -x "$bindir/pg_isready" ]; then
    ready=0
    for _ in $(seq 1 60); do
        if "$bindir/pg_isready" -q -h 127.0.0.1 -p "$port" -U "$user"; then
            ready=1
            break
        fi
        sleep 0.5
    done
    if [ "$ready" -ne 1 ]; then
        echo "start-test-postgres.sh: the server on port $port did not become ready; see $dir/log" >&2
        exit 1
    fi
fi

echo "postgresql://$user@127.0.0.1:$port/postgres"
