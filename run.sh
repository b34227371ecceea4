#!/usr/bin/env bash
# Start Duban on this machine: builds the web app when needed, then runs the
# server with a SQLite database in ./data.
#
#   ./run.sh
#   DUBAN_URL=http://0.0.0.0:8080 DUBAN_DATA_DIR=/srv/duban ./run.sh
#   DUBAN_DEMO=false ./run.sh     (no demo data: the log prints the first administrator's one-time password)
#
# Needs the .NET 10 SDK and Node.js 20.19+. Stop it with Ctrl+C.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/common.sh
source "$REPO/scripts/common.sh"
cd "$REPO"

check_dotnet
check_node

URL="${DUBAN_URL:-http://127.0.0.1:5080}"
DATA_DIR="${DUBAN_DATA_DIR:-$REPO/data}"

npm_ci_if_needed
if web_build_is_stale; then
    web_build
else
    echo "==> designer: src/Duban.Server/wwwroot is up to date (skipping npm run build)"
fi

mkdir -p "$DATA_DIR"
export Duban__DataDir="$DATA_DIR"
# The demo organization, its people (with the README's published password) and items: this command is the demo. A
# production start (Docker, or the server run directly) has no demo and no known password (docs/decisions/043);
# DUBAN_DEMO=false starts the same way here.
export Duban__Seed__Enabled="${DUBAN_DEMO:-true}"

echo "==> Starting Duban at $URL (data: $DATA_DIR). The first start compiles the server; please wait. Ctrl+C stops it."
exec dotnet run --project "$REPO/src/Duban.Server" -c Release -- --urls "$URL"
