# shellcheck shell=bash
# Shared helpers for run.sh and test.sh. Source it; do not run it.
# Expects REPO to be set to the repository root.

export DOTNET_CLI_TELEMETRY_OPTOUT=1
export DOTNET_NOLOGO=1
export DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
# Browser tests use Debian's chromium; Playwright must never download one.
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1

DESIGNER="$REPO/designer"
WWWROOT="$REPO/src/Duban.Server/wwwroot"

# need_cmd COMMAND "how to get it"
need_cmd() {
    if ! command -v "$1" >/dev/null 2>&1; then
        printf 'error: %s is not installed or not on PATH. %s\n' "$1" "$2" >&2
        return 1
    fi
}

check_dotnet() {
    need_cmd dotnet "Install the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0" || return 1
    if ! dotnet --list-sdks 2>/dev/null | grep -Eq '^(1[0-9]|[2-9][0-9])\.'; then
        printf 'error: dotnet is installed but no .NET 10 (or newer) SDK was found (dotnet --list-sdks). Install the .NET 10 SDK: https://dotnet.microsoft.com/download/dotnet/10.0\n' >&2
        return 1
    fi
}

check_node() {
    need_cmd node "Install Node.js 20.19 or newer: https://nodejs.org/" || return 1
    need_cmd npm "npm comes with Node.js: https://nodejs.org/" || return 1
    local major
    major="$(node -p 'process.versions.node.split(".")[0]' 2>/dev/null || echo 0)"
    if [[ "$major" -lt 20 ]]; then
        printf 'error: Node.js %s is too old; the designer needs Node.js 20.19 or newer.\n' "$(node --version)" >&2
        return 1
    fi
}

# npm ci in designer/ when node_modules is missing or older than package-lock.json.
# (npm ci rewrites node_modules/.package-lock.json, so that file dates the install.)
# A node_modules that is a link is an install shared with other checkouts (a git worktree links the main checkout's):
# npm ci would empty it under everyone using it, so it is left to the checkout that owns it.
npm_ci_if_needed() {
    if [[ -L "$DESIGNER/node_modules" ]]; then
        echo "==> designer: node_modules is a link to a shared install ($(readlink -f "$DESIGNER/node_modules")); not running npm ci on it"
        [[ -d "$DESIGNER/node_modules/" ]] || { echo "!! the linked node_modules does not exist" >&2; return 1; }
        return 0
    fi
    if [[ ! -d "$DESIGNER/node_modules" || "$DESIGNER/package-lock.json" -nt "$DESIGNER/node_modules/.package-lock.json" ]]; then
        echo "==> designer: npm ci"
        (cd "$DESIGNER" && npm ci --no-audit --no-fund)
    else
        echo "==> designer: node_modules up to date (skipping npm ci)"
    fi
}

# True when the built web app is missing or older than any of its sources.
web_build_is_stale() {
    local index="$WWWROOT/index.html" newer
    [[ -f "$index" ]] || return 0
    # Unit-test files do not change the built app; ignore them.
    newer="$(find "$DESIGNER/src" "$DESIGNER/public" "$DESIGNER/index.html" "$DESIGNER/package.json" \
        "$DESIGNER/package-lock.json" "$DESIGNER"/vite.config.* "$DESIGNER"/tsconfig*.json \
        -type f -newer "$index" ! -name '*.test.ts' ! -name '*.test.tsx' ! -path "$DESIGNER/src/test/*" \
        -print -quit 2>/dev/null || true)"
    [[ -n "$newer" ]]
}

web_build() {
    echo "==> designer: npm run build (output: src/Duban.Server/wwwroot)"
    (cd "$DESIGNER" && npm run build)
}
