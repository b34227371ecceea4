#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests and benchmarks.
#
#   eval "$(scripts/pg-temp.sh start)"   # starts it, prints export lines
#   scripts/pg-temp.sh stop "$DUBAN_PG_TEMP_DIR"   # stops it and deletes its directory
#   scripts/pg-temp.sh status
#
# `start` prints, on stdout and nothing else:
#   export DUBAN_TEST_POSTGRES='Host=127.0.0.1;Port=…;Username=postgres;Password=postgres;Database=postgres'
#   export DUBAN_BENCH_POSTGRES='…same…'
#   export DUBAN_PG_TEMP_DIR='/tmp/duban-pg.XXXXXX'
# Messages go to stderr. The server listens on 127.0.0.1 only, on a free port,
# with trust authentication (the password is accepted and ignored), and with
# durability switched off (fsync=off): it is for tests, never for real data.
#
# `stop [DIR]` stops the server in DIR (default: $DUBAN_PG_TEMP_DIR) and removes
# DIR. It never guesses: several throwaway servers may run at once.
#
# DUBAN_PG_DURABLE=1 keeps PostgreSQL's normal durability (fsync, synchronous
# commit, full page writes) — for benchmark figures that mean something.
#
# As root, the server runs as the `postgres` OS user (created by Debian's
# postgresql package), because PostgreSQL refuses to run as root. As any other
# user it runs as that user.
set -euo pipefail

MARKER=".duban-pg-temp"
LAST_FILE="/tmp/duban-pg-temp.last.$(id -u)"

say() { printf 'pg-temp: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

find_bindir() {
    local d best=""
    # Ascending version order (sort -V: 9.6 < 15 < 16); the last usable one wins.
    while IFS= read -r d; do
        if [[ -x "$d/initdb" && -x "$d/pg_ctl" && -x "$d/postgres" ]]; then
            best="$d"
        fi
    done < <(printf '%s\n' /usr/lib/postgresql/*/bin | sort -V)
    if [[ -z "$best" ]] && command -v pg_ctl >/dev/null 2>&1 && command -v initdb >/dev/null 2>&1; then
        best="$(dirname "$(command -v pg_ctl)")"
    fi
    [[ -n "$best" ]] || die "PostgreSQL server binaries not found under /usr/lib/postgresql/*/bin. Install them: apt-get install -y postgresql"
    printf '%s\n' "$best"
}

free_port() {
    if command -v python3 >/dev/null 2>&1; then
        python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
        return
    fi
    # Fallback: probe a random range with bash's /dev/tcp.
    local p
    for _ in $(seq 1 200); do
        p=$(( 20000 + RANDOM % 30000 ))
        if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
            printf '%s\n' "$p"
            return
        fi
    done
    die "could not find a free TCP port"
}

# Run a command as the user that owns the server (postgres when we are root).
as_owner() {
    if [[ "$(id -u)" -eq 0 ]]; then
        runuser -u postgres -- "$@"
    else
        "$@"
    fi
}

cmd_start() {
    local bindir dir port attempt conn durability
    bindir="$(find_bindir)"
    durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
    if [[ "${DUBAN_PG_DURABLE:-0}" == 1 ]]; then durability=""; fi

    if [[ "$(id -u)" -eq 0 ]]; then
        id postgres >/dev/null 2>&1 || die "running as root but there is no 'postgres' OS user (PostgreSQL refuses to run as root). Install Debian's postgresql package, or run as a normal user."
        command -v runuser >/dev/null 2>&1 || die "runuser not found (package util-linux)"
    fi

    # Under /tmp (not $TMPDIR): the postgres user must be able to reach it.
    dir="$(mktemp -d /tmp/duban-pg.XXXXXX)"
    touch "$dir/$MARKER"
    if [[ "$(id -u)" -eq 0 ]]; then
        chown -R postgres: "$dir"
    fi
    chmod 700 "$dir"

    # The server's user may not be able to read our current directory.
    cd "$dir"

    if ! as_owner "$bindir/initdb" -D "$dir/data" -U postgres -E UTF8 --locale=C \
            --auth-local=trust --auth-host=trust --no-sync >"$dir/initdb.log" 2>&1; then
        cat "$dir/initdb.log" >&2
        rm -rf "$dir"
        die "initdb failed"
    fi

    # A port picked as free may be taken before the server binds it: retry.
    for attempt in 1 2 3 4 5; do
        port="$(free_port)"
        if as_owner "$bindir/pg_ctl" -D "$dir/data" -l "$dir/postgres.log" -w -t 60 \
                -o "-c listen_addresses=127.0.0.1 -p $port -k $dir $durability -c max_connections=200" \
                start >"$dir/pg_ctl.log" 2>&1; then
            printf '%s\n' "$port" >"$dir/port"
            printf '%s\n' "$dir" >"$LAST_FILE" 2>/dev/null || true
            conn="Host=127.0.0.1;Port=$port;Username=postgres;Password=postgres;Database=postgres"
            say "PostgreSQL ($bindir) listening on 127.0.0.1:$port, data in $dir"
            printf "export DUBAN_TEST_POSTGRES='%s'\n" "$conn"
            printf "export DUBAN_BENCH_POSTGRES='%s'\n" "$conn"
            printf "export DUBAN_PG_TEMP_DIR='%s'\n" "$dir"
            return 0
        fi
        say "start on port $port failed (attempt $attempt)"
    done
    cat "$dir/pg_ctl.log" "$dir/postgres.log" >&2 2>/dev/null || true
    rm -rf "$dir"
    die "could not start PostgreSQL"
}

cmd_stop() {
    local dir="${1:-${DUBAN_PG_TEMP_DIR:-}}" bindir pid
    [[ -n "$dir" ]] || { say "nothing to stop (no DIR given, DUBAN_PG_TEMP_DIR unset)"; return 0; }
    if [[ ! -d "$dir" ]]; then
        say "$dir does not exist; nothing to stop"
        return 0
    fi
    # Never delete a directory this script did not create.
    [[ -f "$dir/$MARKER" ]] || die "$dir was not created by pg-temp.sh; refusing to touch it"

    if [[ -f "$dir/data/postmaster.pid" ]]; then
        cd "$dir"
        bindir="$(find_bindir 2>/dev/null || true)"
        if [[ -z "$bindir" ]] || ! as_owner "$bindir/pg_ctl" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1; then
            pid="$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)"
            if [[ "$pid" =~ ^[0-9]+$ ]] && kill -0 "$pid" 2>/dev/null; then
                say "pg_ctl stop failed; killing postmaster $pid"
                kill -KILL "$pid" 2>/dev/null || true
                sleep 1
            fi
        fi
        cd /
    fi
    rm -rf "$dir"
    if [[ -f "$LAST_FILE" && "$(cat "$LAST_FILE" 2>/dev/null)" == "$dir" ]]; then
        rm -f "$LAST_FILE"
    fi
    say "stopped and removed $dir"
}

cmd_status() {
    local dir="${1:-${DUBAN_PG_TEMP_DIR:-}}"
    if [[ -z "$dir" && -f "$LAST_FILE" ]]; then dir="$(cat "$LAST_FILE")"; fi
    if [[ -n "$dir" && -f "$dir/port" && -f "$dir/data/postmaster.pid" ]]; then
        echo "running: dir=$dir port=$(cat "$dir/port")"
    else
        echo "not running"
        return 1
    fi
}

case "${1:-}" in
    start) cmd_start ;;
    stop) shift; cmd_stop "${1:-}" ;;
    status) shift; cmd_status "${1:-}" ;;
    *) echo "usage: $0 start|stop [DIR]|status [DIR]" >&2; exit 2 ;;
esac
