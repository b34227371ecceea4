#!/usr/bin/env bash
# Start Duban on this machine: builds the web app when needed, then runs the
# server with a SQLite database in ./data.
#
#   ./run.sh
#   DUBAN_URL=http://0.0.0.0:8080 DUBAN_DATA_DIR=/srv/duban ./run.sh
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

echo "==> Starting Duban at $URL (data: $DATA_DIR). The first start compiles the server; please wait. Ctrl+C stops it."
exec dotnet run --project "$REPO/src/Duban.Server" -c Release -- --urls "$URL"
