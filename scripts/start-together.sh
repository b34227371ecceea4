#!/usr/bin/env bash
# Two published Duban servers started at the same moment on one empty PostgreSQL database must both become
# ready, and set the database up once: the start-up lock makes them take turns (docs/decisions/020).
#
#   scripts/start-together.sh APP_DIR [LOG_DIR]
#
# APP_DIR is the output of `dotnet publish src/Duban.Server -c Release -o APP_DIR`. The script starts its own
# throwaway PostgreSQL (scripts/pg-temp.sh) and stops it, and the servers, when it ends. Server logs go to LOG_DIR
# (default: a temporary folder, removed afterwards). Exit status 0 when both servers answered 200 on
# /api/health/ready within DUBAN_SERVER_START_TIMEOUT seconds (default 120) and the setup was done once.
set -uo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
APP="${1:?usage: scripts/start-together.sh APP_DIR [LOG_DIR]}"
APP="$(cd "$APP" && pwd)" || exit 2
[[ -f "$APP/Duban.Server.dll" ]] || { echo "!! $APP/Duban.Server.dll not found (publish src/Duban.Server there first)" >&2; exit 2; }
TIMEOUT="${DUBAN_SERVER_START_TIMEOUT:-120}"
WORK="$(mktemp -d /tmp/duban-together.XXXXXX)"
LOGS="${2:-$WORK/logs}"
mkdir -p "$LOGS"
PG_DIR="" PIDS=()

# shellcheck disable=SC2317  # called from the traps
cleanup() {
    local pid
    for pid in "${PIDS[@]}"; do
        kill -TERM -- "-$pid" 2>/dev/null
    done
    for pid in "${PIDS[@]}"; do
        for _ in $(seq 1 20); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -KILL -- "-$pid" 2>/dev/null
        wait "$pid" 2>/dev/null
    done
    PIDS=()
    [[ -n "$PG_DIR" ]] && "$REPO/scripts/pg-temp.sh" stop "$PG_DIR"
    PG_DIR=""
    rm -rf "$WORK"
}
trap cleanup EXIT
trap 'exit 143' TERM
trap 'exit 130' INT

fail() { echo "!! $*"; exit 1; }

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# http_status URL: the status code, or 000 when nothing answers.
http_status() {
    python3 - "$1" <<'EOF'
import sys, urllib.request, urllib.error
try:
    print(urllib.request.urlopen(sys.argv[1], timeout=5).status)
except urllib.error.HTTPError as e:
    print(e.code)
except Exception:
    print("000")
EOF
}

echo "==> starting a throwaway PostgreSQL"
pg_env="$("$REPO/scripts/pg-temp.sh" start)" || fail "scripts/pg-temp.sh start failed"
eval "$pg_env"
PG_DIR="$DUBAN_PG_TEMP_DIR"
PG_PORT="$(cat "$PG_DIR/port")"
PSQL="$(command -v psql || printf '%s\n' /usr/lib/postgresql/*/bin/psql | sort -V | tail -n 1)"
[[ -x "$PSQL" ]] || fail "psql not found"
sql() { "$PSQL" -X -q -t -A -h 127.0.0.1 -p "$PG_PORT" -U postgres -d "$1" -c "$2"; }
sql postgres 'CREATE DATABASE duban_together' || fail "could not create the database"
CONNECTION="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Password=postgres;Database=duban_together"

URLS=()
for n in 1 2; do
    port="$(free_port)"
    URLS+=("http://127.0.0.1:$port")
    mkdir -p "$WORK/data$n"
done
echo "==> starting two servers at once: ${URLS[*]} (logs: $LOGS)"
for n in 1 2; do
    setsid env -C "$APP" -u ASPNETCORE_URLS \
        ASPNETCORE_ENVIRONMENT=Production \
        Duban__Seed__Enabled=true \
        Duban__DataDir="$WORK/data$n" \
        Duban__Database__Provider=Postgres \
        ConnectionStrings__Duban="$CONNECTION" \
        dotnet Duban.Server.dll --urls "${URLS[$((n - 1))]}" >"$LOGS/server-$n.log" 2>&1 &
    PIDS+=("$!")
done

ready=(0 0)
deadline=$(( SECONDS + TIMEOUT ))
while [[ $SECONDS -lt $deadline && "${ready[*]}" != "1 1" ]]; do
    for i in 0 1; do
        [[ ${ready[$i]} -eq 1 ]] && continue
        if ! kill -0 "${PIDS[$i]}" 2>/dev/null; then
            echo "!! server $((i + 1)) exited during start-up. Its log:"
            cat "$LOGS/server-$((i + 1)).log"
            exit 1
        fi
        if [[ "$(http_status "${URLS[$i]}/api/health/ready")" == 200 ]]; then
            ready[i]=1
            echo "==> server $((i + 1)) is ready after $(( SECONDS - deadline + TIMEOUT )) s"
        fi
    done
    sleep 0.5
done
if [[ "${ready[*]}" != "1 1" ]]; then
    for i in 0 1; do
        [[ ${ready[$i]} -eq 1 ]] && continue
        echo "!! server $((i + 1)) was not ready within ${TIMEOUT}s. Its log:"
        cat "$LOGS/server-$((i + 1)).log"
    done
    exit 1
fi

# Set up once: every step recorded once, the demo organization's seven people and the platform administrator, and its three items once.
steps="$(sql duban_together 'SELECT count(*) FROM "SetupSteps"')"
users="$(sql duban_together 'SELECT count(*) FROM "AspNetUsers"')"
items="$(sql duban_together 'SELECT count(*) FROM "WorkflowInstances"')"
echo "==> setup steps recorded: $steps, users: $users, demo items: $items"
[[ "$steps" == 8 && "$users" == 8 && "$items" == 3 ]] || fail "expected 8 setup steps (roles, administrators keep items, security administrators, demo organization, templates, calendar, demo items, item sources), 8 users (7 demo people, the platform administrator) and 3 demo items"
if grep -q "Another Duban instance is migrating" "$LOGS"/server-*.log; then
    echo "==> one server waited for the other's migration and setup"
else
    echo "==> neither server had to wait (the first had finished before the second asked)"
fi
echo "==> both servers are ready"
