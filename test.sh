#!/usr/bin/env bash
# Run every Duban test, on a fresh Debian 12 machine too:
#   .NET unit + integration tests (SQLite and a throwaway PostgreSQL),
#   designer checks (prettier, eslint, API types up to date), unit tests (vitest) and production build,
#   browser tests (Playwright + Debian's chromium) against a real server.
#
#   ./test.sh                 everything (what CI runs)
#   ./test.sh --only dotnet   .NET test projects only
#   ./test.sh --only web      designer format, lint, API types check, unit tests + build
#   ./test.sh --only e2e      browser tests only (builds what they need)
#   (--only may be repeated or comma-separated: --only dotnet,web)
#
# The browser tests and the web checks (prettier, eslint, API types, vitest) run in the background from the end of the
# build, beside the .NET tests; the browser tests in two lanes with a server each (DUBAN_E2E_LANES). Their output is
# printed when they are counted, near the end.
#
# Results: artifacts/test-results/*.trx, vitest.json and e2e-laneN.json,
# artifacts/screenshots/, artifacts/e2e-server-laneN.log, artifacts/start-together/, artifacts/packages.log.
# The last line printed is always "N passed, N failed". Exit status is 0 only
# when nothing failed and every suite ran. A suite that could not run counts
# as one failure (the summary says why).
#
# Environment knobs: DUBAN_SUITE_TIMEOUT (seconds per suite, default 3600: the .NET tests run below the browser lanes'
# priority and take what they leave; a browser lane gets DUBAN_E2E_TIMEOUT, default 3600), DUBAN_E2E_TIME_SCALE (the browser tests' own waits multiplied, default 3),
# DUBAN_SERVER_START_TIMEOUT (seconds, default 120),
# CHROMIUM_PATH (default /usr/bin/chromium), DUBAN_E2E_LANES (browser test lanes, each with its own server; default 2).
set -uo pipefail   # no -e: keep going after a failing suite so totals are complete

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
# shellcheck source=scripts/common.sh
source "$REPO/scripts/common.sh"
cd "$REPO" || exit 1

usage() { sed -n '2,24p' "$0" | sed 's/^# \{0,1\}//'; }

RUN_DOTNET=0 RUN_WEB=0 RUN_E2E=0 ONLY=""
while [[ $# -gt 0 ]]; do
    case "$1" in
        --only) [[ $# -ge 2 ]] || { usage >&2; exit 2; }; ONLY="$ONLY,$2"; shift 2 ;;
        --only=*) ONLY="$ONLY,${1#--only=}"; shift ;;
        -h|--help) usage; exit 0 ;;
        *) echo "unknown argument: $1" >&2; usage >&2; exit 2 ;;
    esac
done
if [[ -z "$ONLY" ]]; then
    RUN_DOTNET=1 RUN_WEB=1 RUN_E2E=1
else
    IFS=',' read -r -a parts <<<"${ONLY#,}"
    for part in "${parts[@]}"; do
        case "$part" in
            dotnet) RUN_DOTNET=1 ;;
            web) RUN_WEB=1 ;;
            e2e) RUN_E2E=1 ;;
            "") ;;
            *) echo "unknown part for --only: '$part' (use dotnet, web or e2e)" >&2; exit 2 ;;
        esac
    done
fi

ARTIFACTS="$REPO/artifacts"
RESULTS="$ARTIFACTS/test-results"
COUNT="$REPO/scripts/count-results.py"
SUITE_TIMEOUT="${DUBAN_SUITE_TIMEOUT:-3600}"
SERVER_START_TIMEOUT="${DUBAN_SERVER_START_TIMEOUT:-120}"
E2E_LANES="${DUBAN_E2E_LANES:-2}"
E2E_TIMEOUT="${DUBAN_E2E_TIMEOUT:-3600}"
# The browser tests wait for what a person waits for (a page, a reply); beside the .NET tests and vitest on two cores a
# wait that takes 3 s alone took over 60 s. Their timeouts are multiplied by this (designer/e2e/timing.ts): a guard
# against hangs, not a speed check.
export DUBAN_E2E_TIME_SCALE="${DUBAN_E2E_TIME_SCALE:-3}"
# The browser lanes are the longest path of a run; the .NET tests and vitest fill the processor around them at a lower
# priority (nice), so they take what the lanes leave instead of slowing them.
BACKGROUND_NICE="${DUBAN_BACKGROUND_NICE:-10}"
# A lane signs its demo users in once (auth.setup.ts) and uses those sessions to its end; under load a lane has run 41
# minutes, past the 30 minutes a session lasts idle. Its server keeps sessions this long (the security spec checks the
# cookie against it).
E2E_IDLE_TIMEOUT="02:00:00"
export CHROMIUM_PATH="${CHROMIUM_PATH:-/usr/bin/chromium}"
mkdir -p "$RESULTS"

# ---------------------------------------------------------------- bookkeeping
TOTAL_PASSED=0
TOTAL_FAILED=0
SUMMARY=()

banner() { printf '\n==================== %s ====================\n' "$*"; }

# Each step's wall time is shown in the summary: start_step before it, record after.
STEP_T0=$SECONDS
start_step() { STEP_T0=$SECONDS; }

# record NAME STATUS PASSED FAILED NOTE
record() {
    TOTAL_PASSED=$(( TOTAL_PASSED + $3 ))
    TOTAL_FAILED=$(( TOTAL_FAILED + $4 ))
    SUMMARY+=("$(printf '%-28s %-12s %6s passed %6s failed %5ss  %s' "$1" "$2" "$3" "$4" "$(( SECONDS - STEP_T0 ))" "$5")")
}
# A step or suite that could not run, or a build that failed: one failure.
record_not_run() { echo "!! $1 did not run: $2"; record "$1" "NOT RUN" 0 1 "$2"; }
record_step() {   # NAME RC  (for build/setup steps: ok adds nothing, failure adds 1)
    if [[ "$2" -eq 0 ]]; then record "$1" "ok" 0 0 "-"
    else record "$1" "FAILED" 0 1 "exit code $2"; fi
}

# run_bounded CMD... : run CMD in its own process group and wait for it.
# It is killed (whole group) after SUITE_TIMEOUT seconds (status 124), and
# when this script is interrupted (see on_signal), so Ctrl+C works promptly
# and no test process outlives the run.
CHILD_PID=""
run_bounded() {
    local marker rc watchdog
    marker="$(mktemp -u /tmp/duban-timeout.XXXXXX)"
    setsid "$@" &
    CHILD_PID=$!
    (
        end=$(( SECONDS + SUITE_TIMEOUT ))
        while kill -0 "$CHILD_PID" 2>/dev/null; do
            if [[ $SECONDS -ge $end ]]; then
                echo "!! timed out after ${SUITE_TIMEOUT}s: $*" >&2
                : >"$marker"
                kill -TERM -- "-$CHILD_PID" 2>/dev/null
                for _ in $(seq 1 30); do
                    kill -0 -- "-$CHILD_PID" 2>/dev/null || break
                    sleep 1
                done
                kill -KILL -- "-$CHILD_PID" 2>/dev/null
                break
            fi
            sleep 1
        done
    ) &
    watchdog=$!
    wait "$CHILD_PID"
    rc=$?
    wait "$watchdog" 2>/dev/null
    # Leftovers of the finished command (e.g. orphaned workers) go too.
    kill -TERM -- "-$CHILD_PID" 2>/dev/null
    CHILD_PID=""
    if [[ -e "$marker" ]]; then
        rc=124
        rm -f "$marker"
    fi
    return "$rc"
}

# finish_suite NAME RC KIND FILE : count results of a suite that was started.
finish_suite() {
    local name="$1" rc="$2" kind="$3" file="$4" out passed failed note status
    if [[ ! -s "$file" ]]; then
        local why="exit code $rc and no results file ($file)"
        [[ "$rc" -eq 124 ]] && why="timed out after ${SUITE_TIMEOUT}s; no results file ($file)"
        record_not_run "$name" "$why"
        return
    fi
    if ! out="$(python3 "$COUNT" "$kind" "$file")"; then
        record_not_run "$name" "exit code $rc; results file unreadable ($file)"
        return
    fi
    read -r passed failed note <<<"$out"
    [[ "$note" == "-" ]] && note=""
    if [[ "$rc" -ne 0 && "$failed" -eq 0 ]]; then
        failed=1
        if [[ "$rc" -eq 124 ]]; then note="timed out after ${SUITE_TIMEOUT}s${note:+; $note}"
        else note="exit code $rc although no test failed${note:+; $note}"; fi
    fi
    if [[ $(( passed + failed )) -eq 0 ]]; then
        failed=1
        note="no tests ran${note:+; $note}"
    fi
    status="ok"
    [[ "$failed" -gt 0 ]] && status="FAILED"
    record "$name" "$status" "$passed" "$failed" "${note:--}"
    if [[ "$failed" -gt 0 ]]; then
        local names
        names="$(python3 "$COUNT" --failures "$kind" "$file")"
        [[ -n "$names" ]] && FAILURES+=("$name:" "$names")
    fi
}

SUMMARY_STATUS=1
FAILURES=()
print_summary() {
    banner "summary"
    local line
    for line in "${SUMMARY[@]}"; do
        printf '%s\n' "$line"
    done
    if [[ ${#FAILURES[@]} -gt 0 ]]; then
        echo
        echo "failed tests:"
        for line in "${FAILURES[@]}"; do
            printf '%s\n' "$line"
        done
    fi
    echo
    echo "wall time: $(( SECONDS / 60 ))m $(( SECONDS % 60 ))s (load average now: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown))"
    if [[ $TOTAL_FAILED -eq 0 && ${#SUMMARY[@]} -gt 0 ]]; then
        echo "All suites ran and passed."
        SUMMARY_STATUS=0
    else
        if [[ ${#SUMMARY[@]} -eq 0 ]]; then
            echo "Nothing ran."
            TOTAL_FAILED=1
        fi
        SUMMARY_STATUS=1
    fi
    echo "$TOTAL_PASSED passed, $TOTAL_FAILED failed"
}

free_port() {
    python3 -c 'import socket
s = socket.socket()
s.bind(("127.0.0.1", 0))
print(s.getsockname()[1])
s.close()'
}

# ---------------------------------------------------------------- cleanup
PG_DIR=""
SERVER_PID=""
SERVER_TMP=""
PUBLISH_TMP=""
API_DOC_DIR=""
E2E_PIDS=()
WEB_PID=""

stop_server() {
    if [[ -n "$SERVER_PID" ]] && kill -0 "$SERVER_PID" 2>/dev/null; then
        echo "==> stopping Duban server (pid $SERVER_PID)"
        # The server runs in its own process group (setsid): stop all of it.
        kill -TERM -- "-$SERVER_PID" 2>/dev/null
        for _ in $(seq 1 20); do
            kill -0 "$SERVER_PID" 2>/dev/null || break
            sleep 0.5
        done
        kill -KILL -- "-$SERVER_PID" 2>/dev/null
    fi
    [[ -n "$SERVER_PID" ]] && wait "$SERVER_PID" 2>/dev/null
    SERVER_PID=""
    if [[ -n "$SERVER_TMP" ]]; then
        rm -rf "$SERVER_TMP"
        SERVER_TMP=""
    fi
}

stop_postgres() {
    if [[ -n "$PG_DIR" ]]; then
        "$REPO/scripts/pg-temp.sh" stop "$PG_DIR" || true
        PG_DIR=""
    fi
}

# shellcheck disable=SC2317  # called from traps
cleanup() {
    local lane_pid
    for lane_pid in "${E2E_PIDS[@]}"; do
        kill -TERM "$lane_pid" 2>/dev/null
        wait "$lane_pid" 2>/dev/null
    done
    E2E_PIDS=()
    if [[ -n "$WEB_PID" ]]; then
        kill -TERM "$WEB_PID" 2>/dev/null
        wait "$WEB_PID" 2>/dev/null
        WEB_PID=""
    fi
    if [[ -n "$CHILD_PID" ]]; then
        kill -TERM -- "-$CHILD_PID" 2>/dev/null
        CHILD_PID=""
    fi
    stop_server
    stop_postgres
    [[ -n "$PUBLISH_TMP" ]] && rm -rf "$PUBLISH_TMP"
    [[ -n "$API_DOC_DIR" ]] && rm -rf "$API_DOC_DIR"
    [[ -n "${WEB_DIR:-}" && -z "${IN_WEB_CHECKS:-}" ]] && rm -rf "$WEB_DIR"
}
# shellcheck disable=SC2317  # called from traps
on_signal() {
    trap - INT TERM
    echo
    echo "!! $1: stopping"
    cleanup
    record "test run" "${1^^}" 0 1 "$1 before all suites finished"
    print_summary
    exit "$2"
}
trap cleanup EXIT
trap 'on_signal interrupted 130' INT
trap 'on_signal terminated 143' TERM

# ---------------------------------------------------------------- (a) machine prerequisites
# pkg_present PACKAGE: installed (by dpkg, or its files are there).
pkg_present() {
    case "$1" in
        postgresql) compgen -G '/usr/lib/postgresql/*/bin/pg_ctl' >/dev/null && return 0 ;;
        chromium) [[ -x "$CHROMIUM_PATH" ]] && return 0 ;;
        curl) command -v curl >/dev/null && return 0 ;;
        python3) command -v python3 >/dev/null && return 0 ;;
    esac
    command -v dpkg-query >/dev/null 2>&1 &&
        dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q 'install ok installed'
}

# ensure_packages PACKAGE... : install the missing ones with apt (as root).
ensure_packages() {
    local missing=() p
    for p in "$@"; do
        pkg_present "$p" || missing+=("$p")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    if [[ "$(id -u)" -ne 0 ]]; then
        echo "!! missing packages: ${missing[*]}. Install them as root: apt-get install -y ${missing[*]}" >&2
        return 1
    fi
    if ! command -v apt-get >/dev/null 2>&1; then
        echo "!! missing packages: ${missing[*]}, and apt-get is not available to install them" >&2
        return 1
    fi
    echo "==> apt-get install ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y "${missing[@]}"; then
        echo "==> install failed; running apt-get update and retrying"
        apt-get update && apt-get install -y "${missing[@]}" || return 1
    fi
}

banner "prerequisites"
start_step
if ! ensure_packages python3; then
    echo "!! could not install python3"
fi
# The rest install in the background while the web app and the server build (apt waits on the network and the disk,
# the builds on the processor); wait_for_packages is called before the first step that needs them.
PKGS=()
[[ $RUN_DOTNET -eq 1 ]] && PKGS+=(postgresql)
# 文书 (decision 039): documents to PDF with LibreOffice, PDF to PNG for the test artifacts; Chinese fonts for both.
# About a minute on a fresh Debian 12 machine.
[[ $RUN_DOTNET -eq 1 ]] && PKGS+=(libreoffice-writer-nogui poppler-utils fonts-noto-cjk)
[[ $RUN_E2E -eq 1 ]] && PKGS+=(chromium fonts-noto-cjk curl)
PKG_PID="" PKG_LOG="$ARTIFACTS/packages.log"
if [[ ${#PKGS[@]} -gt 0 ]]; then
    ensure_packages "${PKGS[@]}" >"$PKG_LOG" 2>&1 &
    PKG_PID=$!
fi
wait_for_packages() {
    [[ -z "$PKG_PID" ]] && return 0
    echo "==> waiting for the system packages (${PKGS[*]})"
    wait "$PKG_PID"
    local rc=$?
    PKG_PID=""
    cat "$PKG_LOG"
    [[ $rc -ne 0 ]] && echo "!! could not install all of: ${PKGS[*]} (suites that need them will fail)"
    return 0
}
if ! command -v python3 >/dev/null 2>&1; then
    echo "!! python3 is required to read test results"
    echo "0 passed, 1 failed"
    exit 1
fi

DOTNET_OK=0 NODE_OK=0
if [[ $RUN_DOTNET -eq 1 || $RUN_WEB -eq 1 || $RUN_E2E -eq 1 ]]; then
    check_dotnet && DOTNET_OK=1
fi
if [[ $RUN_WEB -eq 1 || $RUN_E2E -eq 1 ]]; then
    check_node && NODE_OK=1
fi

# ---------------------------------------------------------------- designer install + build
# The web app is built before `dotnet build`: ASP.NET Core's static web assets
# (MapStaticAssets) are indexed at build time, so wwwroot must be there first.
NPM_OK=0 WEB_BUILD_OK=0
if [[ $RUN_WEB -eq 1 || $RUN_E2E -eq 1 ]]; then
    banner "designer: install + build"
    if [[ $NODE_OK -ne 1 ]]; then
        record_not_run "designer npm ci" "node/npm missing or too old"
    else
        start_step
        npm_ci_if_needed
        rc=$?
        record_step "designer npm ci" "$rc"
        if [[ $rc -eq 0 ]]; then
            NPM_OK=1
            start_step
            web_build
            rc=$?
            record_step "designer build" "$rc"
            [[ $rc -eq 0 ]] && WEB_BUILD_OK=1
            if [[ $rc -eq 0 && $RUN_WEB -eq 1 ]]; then
                # The inbox's first screen: at most 250 KB of gzipped JavaScript, read from the build's manifest
                # (scripts/route-size.mjs exits non-zero over --max; docs/decisions/040).
                start_step
                (cd "$DESIGNER" && npm run --silent size:inbox)
                record_step "designer first screen (size:inbox ≤ 250 KB)" "$?"
            fi
        fi
    fi
fi

# ---------------------------------------------------------------- (c) dotnet build
DOTNET_BUILD_OK=0
if [[ $RUN_DOTNET -eq 1 || $RUN_E2E -eq 1 ]]; then
    banner "dotnet build Duban.slnx -c Release"
    if [[ $DOTNET_OK -ne 1 ]]; then
        record_not_run "dotnet build" ".NET 10 SDK missing"
    else
        start_step
        build_args=()
        if [[ $RUN_WEB -eq 1 ]]; then
            # The server's OpenAPI document comes out of this build (it is written when the server compiles), so the
            # web checks below compare the committed API types with it without compiling the server a second time.
            API_DOC_DIR="$(mktemp -d /tmp/duban-api-doc.XXXXXX)"
            build_args+=(-p:OpenApiGenerateDocuments=true "-p:OpenApiDocumentsDirectory=$API_DOC_DIR")
        fi
        dotnet build "$REPO/Duban.slnx" -c Release "${build_args[@]}"
        rc=$?
        record_step "dotnet build" "$rc"
        [[ $rc -eq 0 ]] && DOTNET_BUILD_OK=1
        # Layout per .editorconfig; style and analyzer rules already fail the build above.
        echo "==> dotnet format whitespace --verify-no-changes"
        start_step
        dotnet format whitespace "$REPO/Duban.slnx" --verify-no-changes
        record_step "dotnet format" "$?"
    fi
fi

# ---------------------------------------------------------------- (e) designer checks + unit tests: started
# Prettier, ESLint, the API types check and vitest need the processor, not a database: they run in the background from
# the end of the build, beside the .NET tests (which wait on databases and hosts half the time), instead of after
# them. The run's output goes to WEB_DIR/log, its summary lines, totals and failed tests to WEB_DIR/summary, counts and
# failures; section (e) near the end prints and counts them, so the output reads as before.
WEB_DIR=""
# shellcheck disable=SC2317  # run in the background (below)
web_checks() {
    local api_doc="$API_DOC_DIR"
    # This run's cleanup stops its own child only: the published app, the database and the rest are the main run's.
    PG_DIR="" E2E_PIDS=() PUBLISH_TMP="" API_DOC_DIR="" CHILD_PID="" SERVER_PID="" WEB_PID=""
    SUMMARY=() FAILURES=() TOTAL_PASSED=0 TOTAL_FAILED=0 IN_WEB_CHECKS=1
    trap 'web_checks_done; cleanup' EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    # Below the browser lanes, like the .NET tests (BACKGROUND_NICE); what this starts inherits it.
    renice -n "$BACKGROUND_NICE" -p "$BASHPID" >/dev/null 2>&1
    banner "designer: format, lint, API types"
    if [[ $NPM_OK -ne 1 ]]; then
        record_not_run "designer checks" "npm ci did not succeed"
    else
        start_step
        (cd "$DESIGNER" && npm run --silent format:check)
        record_step "designer format (prettier)" "$?"
        start_step
        (cd "$DESIGNER" && npm run --silent lint)
        record_step "designer lint (eslint)" "$?"
        # The committed OpenAPI document and the types generated from it must match the server as it is now.
        if [[ $DOTNET_OK -ne 1 ]]; then
            record_not_run "designer API types" ".NET 10 SDK missing (the document comes from a build of the server)"
        else
            start_step
            api_tmp="$(mktemp -d /tmp/duban-api.XXXXXX)"
            echo "==> regenerating the OpenAPI document and its types into $api_tmp"
            rc=0
            doc_args=()
            [[ -n "$api_doc" && -s "$api_doc/openapi.json" ]] && doc_args=(--document "$api_doc/openapi.json")
            (cd "$DESIGNER" && node scripts/api-generate.mjs --out "$api_tmp" "${doc_args[@]}") || rc=$?
            if [[ $rc -eq 0 ]]; then
                for f in openapi.json schema.d.ts activities.json; do
                    if ! cmp -s "$DESIGNER/src/api/$f" "$api_tmp/$f"; then
                        diff -u "$DESIGNER/src/api/$f" "$api_tmp/$f" | head -40
                        echo "!! designer/src/api/$f is stale: run 'npm run api:generate' in designer/ and commit it"
                        rc=1
                    fi
                done
            fi
            rm -rf "$api_tmp"
            record_step "designer API types up to date" "$rc"
        fi
    fi

    banner "designer unit tests (vitest)"
    start_step
    if [[ $NPM_OK -ne 1 ]]; then
        record_not_run "designer unit (vitest)" "npm ci did not succeed"
    else
        rm -f "$DESIGNER/test-results/vitest.json"
        run_bounded env -C "$DESIGNER" npm run test:unit:json
        rc=$?
        # Read now: Playwright may clean designer/test-results/ later.
        finish_suite "designer unit (vitest)" "$rc" vitest "$DESIGNER/test-results/vitest.json"
        cp "$DESIGNER/test-results/vitest.json" "$RESULTS/vitest.json" 2>/dev/null
    fi
}
# shellcheck disable=SC2317  # called from the trap of web_checks
web_checks_done() {
    { [[ ${#SUMMARY[@]} -gt 0 ]] && printf '%s\n' "${SUMMARY[@]}"; } >"$WEB_DIR/summary"
    { [[ ${#FAILURES[@]} -gt 0 ]] && printf '%s\n' "${FAILURES[@]}"; } >"$WEB_DIR/failures"
    echo "$TOTAL_PASSED $TOTAL_FAILED" >"$WEB_DIR/counts"
}
if [[ $RUN_WEB -eq 1 ]]; then
    WEB_DIR="$(mktemp -d /tmp/duban-web-checks.XXXXXX)"
    echo "==> designer checks and unit tests start in the background (their output follows after the .NET tests)"
    web_checks >"$WEB_DIR/log" 2>&1 &
    WEB_PID=$!
fi

# ---------------------------------------------------------------- (f) browser tests: the lanes
# The browser tests run in the background from the end of the build, beside the .NET tests and the web checks: they
# wait mostly on the browser and the server, the others mostly on the processor. They run in E2E_LANES lanes, each with
# its own server and database (a fresh SQLite file) and its own share of the spec files, so no spec sees another lane's
# data, and a lane's sign-ins, results and screenshots stay in its own folder (DUBAN_E2E_RESULTS_DIR). A lane writes its
# output to LANE_DIR/log, and LANE_DIR/why (could not run) or LANE_DIR/rc (Playwright's exit status); section (f)
# reads them.
E2E_DIR="" E2E_T0=0
# shellcheck disable=SC2317  # run in the background by start_e2e_lanes
e2e_lane() {   # LANE_DIR RESULTS_DIR SPEC...
    local lane_dir="$1" lane_results="$2"
    shift 2
    # This lane's cleanup stops its own server only: the published app, the database and the rest are the main run's.
    PG_DIR="" E2E_PIDS=() PUBLISH_TMP="" API_DOC_DIR="" CHILD_PID="" WEB_PID="" WEB_DIR=""
    trap cleanup EXIT
    trap 'exit 143' TERM
    trap 'exit 130' INT
    local why="" port base_url healthy last_reply reply deadline rc name
    name="$(basename "$lane_dir")"
    [[ $NPM_OK -ne 1 ]] && why="npm ci did not succeed"
    [[ -z "$why" && $WEB_BUILD_OK -ne 1 ]] && why="the designer build failed"
    [[ -z "$why" && $DOTNET_BUILD_OK -ne 1 ]] && why="dotnet build did not succeed"
    [[ -z "$why" && -z "$PUBLISHED" ]] && why="dotnet publish of src/Duban.Server failed"
    [[ -z "$why" && ! -x "$CHROMIUM_PATH" ]] && why="chromium not found at $CHROMIUM_PATH (apt-get install -y chromium)"
    [[ -z "$why" ]] && ! command -v curl >/dev/null 2>&1 && why="curl is not installed"

    if [[ -z "$why" ]]; then
        # Run the server the way it is deployed: published, Production
        # environment, fresh SQLite database in a temporary data directory.
        SERVER_TMP="$(mktemp -d /tmp/duban-e2e.XXXXXX)"
        SERVER_LOG="$ARTIFACTS/e2e-server-$name.log"
        port="$(free_port)"
        base_url="http://127.0.0.1:$port"
        mkdir -p "$SERVER_TMP/data"
        echo "==> $name: starting Duban at $base_url (data: $SERVER_TMP/data, log: artifacts/e2e-server-$name.log)"
        setsid env -C "$PUBLISHED" -u ASPNETCORE_URLS \
            ASPNETCORE_ENVIRONMENT=Production \
            Duban__Seed__Enabled=true \
            Duban__Security__IdleTimeout="$E2E_IDLE_TIMEOUT" \
            Duban__DataDir="$SERVER_TMP/data" \
            Duban__Database__Provider=Sqlite \
            dotnet Duban.Server.dll --urls "$base_url" >"$SERVER_LOG" 2>&1 &
        SERVER_PID=$!

        healthy=0 last_reply=""
        deadline=$(( SECONDS + SERVER_START_TIMEOUT ))
        while [[ $SECONDS -lt $deadline ]]; do
            if ! kill -0 "$SERVER_PID" 2>/dev/null; then
                why="the server exited during start-up"
                break
            fi
            # 200 from the health endpoint itself: an HTML page means the SPA
            # fallback answered (no /api/health endpoint), which is not health.
            reply="$(curl -s -o /dev/null -m 5 -w '%{http_code} %{content_type}' "$base_url/api/health" || true)"
            if [[ "$reply" == "200 "* && "$reply" != *text/html* ]]; then healthy=1; break; fi
            last_reply="$reply"
            sleep 1
        done
        if [[ $healthy -ne 1 ]]; then
            [[ -z "$why" ]] && why="GET $base_url/api/health did not return 200 (non-HTML) within ${SERVER_START_TIMEOUT}s; last reply: '${last_reply:-none}'"
            echo "!! $why. Server log:"
            cat "$SERVER_LOG"
            stop_server
        fi
    fi

    if [[ -n "$why" ]]; then
        printf '%s' "$why" >"$lane_dir/why"
        return
    fi
    echo "==> $name: server is up; running playwright test on $*"
    rm -rf "$lane_results"
    # The sign-ins first (the setup project), then this lane's spec files. This lane is a subshell: its own bound.
    SUITE_TIMEOUT="$E2E_TIMEOUT"
    run_bounded env -C "$DESIGNER" DUBAN_BASE_URL="$base_url" DUBAN_E2E_RESULTS_DIR="$lane_results" DUBAN_E2E_IDLE_TIMEOUT="$E2E_IDLE_TIMEOUT" \
        npm run test:e2e -- e2e/auth.setup.ts "$@"
    rc=$?
    stop_server
    echo "$rc" >"$lane_dir/rc"
}

# split_specs N : the spec files dealt into N lanes by the time each took in a measured run (designer/e2e/durations.tsv),
# longest first onto the lane with the least time so far; prints one line per lane, the files separated by spaces.
split_specs() {
    # shellcheck disable=SC2046  # one word per spec file
    python3 "$REPO/scripts/e2e-lanes.py" split "$1" "$DESIGNER/e2e/durations.tsv" $(cd "$DESIGNER" && ls e2e/*.spec.ts)
}

start_e2e_lanes() {
    local lanes=$(( E2E_LANES < 1 ? 1 : E2E_LANES )) i specs
    local -a shares
    E2E_DIR="$(mktemp -d /tmp/duban-e2e-lanes.XXXXXX)"
    E2E_T0=$SECONDS
    rm -rf "$ARTIFACTS/screenshots" "$ARTIFACTS"/e2e-server*.log "$RESULTS"/e2e*.json "$DESIGNER/test-results/e2e-lanes"
    mapfile -t shares < <(split_specs "$lanes")
    echo "==> browser tests start in the background in $lanes lane(s) (their output follows at the end)"
    for (( i = 0; i < lanes; i++ )); do
        specs="${shares[i]}"
        [[ -z "$specs" ]] && continue
        mkdir -p "$E2E_DIR/lane$(( i + 1 ))"
        # shellcheck disable=SC2086  # the lane's files, one word each
        e2e_lane "$E2E_DIR/lane$(( i + 1 ))" "$DESIGNER/test-results/e2e-lanes/lane$(( i + 1 ))" $specs \
            >"$E2E_DIR/lane$(( i + 1 ))/log" 2>&1 &
        E2E_PIDS+=("$!")
    done
}

# ---------------------------------------------------------------- publish once, start the lane
# One published server serves the browser tests and the two-servers start-up check.
PUBLISHED=""
if [[ $DOTNET_BUILD_OK -eq 1 && ( $RUN_E2E -eq 1 || $RUN_DOTNET -eq 1 ) ]]; then
    PUBLISH_TMP="$(mktemp -d /tmp/duban-published.XXXXXX)"
    echo "==> dotnet publish src/Duban.Server (no build) -> $PUBLISH_TMP/app"
    if dotnet publish "$REPO/src/Duban.Server" -c Release --no-build -o "$PUBLISH_TMP/app" >"$PUBLISH_TMP/publish.log" 2>&1; then
        PUBLISHED="$PUBLISH_TMP/app"
    else
        cat "$PUBLISH_TMP/publish.log"
    fi
fi
wait_for_packages
[[ $RUN_E2E -eq 1 ]] && start_e2e_lanes

# ---------------------------------------------------------------- (b)+(d) .NET tests
if [[ $RUN_DOTNET -eq 1 ]]; then
    banner ".NET tests"
    # Test projects: every tests/*/*.csproj that says <IsTestProject>true.
    mapfile -t TEST_PROJECTS < <(grep -l '<IsTestProject>true</IsTestProject>' "$REPO"/tests/*/*.csproj 2>/dev/null | sort)
    if [[ ${#TEST_PROJECTS[@]} -eq 0 ]]; then
        record_not_run ".NET tests" "no test projects found under tests/"
    fi

    echo "==> starting a throwaway PostgreSQL"
    if pg_env="$("$REPO/scripts/pg-temp.sh" start)"; then
        eval "$pg_env"
        PG_DIR="$DUBAN_PG_TEMP_DIR"
        export DUBAN_TEST_POSTGRES
    else
        unset DUBAN_TEST_POSTGRES
        record_not_run "PostgreSQL (throwaway)" "scripts/pg-temp.sh start failed; PostgreSQL tests will fail"
    fi

    for proj in "${TEST_PROJECTS[@]}"; do
        name="$(basename "$proj" .csproj)"
        if [[ $DOTNET_BUILD_OK -ne 1 ]]; then
            # The solution did not build; this project on its own may still
            # build, so its tests can run and the totals stay informative.
            if [[ $DOTNET_OK -ne 1 ]]; then
                record_not_run "$name" ".NET 10 SDK missing"
                continue
            fi
            banner "dotnet build $name (the solution build failed)"
            if ! dotnet build "$proj" -c Release; then
                record_not_run "$name" "it does not build"
                continue
            fi
        fi
        banner "dotnet test $name"
        start_step
        rm -f "$RESULTS/$name.trx"
        run_bounded nice -n "$BACKGROUND_NICE" dotnet test "$proj" --no-build -c Release \
            --logger "trx;LogFileName=$name.trx" --results-directory "$RESULTS"
        rc=$?
        finish_suite "$name" "$rc" trx "$RESULTS/$name.trx"
    done
    stop_postgres
fi

# ---------------------------------------------------------------- (d2) start-up: two servers at once
# Two published servers started at the same moment on one empty PostgreSQL database must both become ready and
# set it up once (docs/decisions/020). scripts/start-together.sh starts its own throwaway PostgreSQL.
if [[ $RUN_DOTNET -eq 1 ]]; then
    banner "start-up: two servers at once on one empty PostgreSQL"
    if [[ $DOTNET_BUILD_OK -ne 1 ]]; then
        record_not_run "start-up: 2 servers, 1 db" "dotnet build did not succeed"
    else
        if [[ -n "$PUBLISHED" ]]; then
            start_step
            rm -rf "$ARTIFACTS/start-together"
            run_bounded "$REPO/scripts/start-together.sh" "$PUBLISHED" "$ARTIFACTS/start-together"
            record_step "start-up: 2 servers, 1 db" "$?"
        else
            record_not_run "start-up: 2 servers, 1 db" "dotnet publish of src/Duban.Server failed"
        fi
    fi
fi

# ---------------------------------------------------------------- (e) designer checks + unit tests: the results
# They ran in the background since the build (see web_checks); print their output and count them here.
if [[ -n "$WEB_DIR" ]]; then
    if [[ -n "$WEB_PID" ]]; then
        echo "==> waiting for the designer checks and unit tests (running since the build)"
        wait "$WEB_PID"
        WEB_PID=""
    fi
    cat "$WEB_DIR/log" 2>/dev/null
    if [[ -s "$WEB_DIR/counts" ]]; then
        read -r web_passed web_failed <"$WEB_DIR/counts"
        TOTAL_PASSED=$(( TOTAL_PASSED + web_passed ))
        TOTAL_FAILED=$(( TOTAL_FAILED + web_failed ))
        mapfile -t web_lines <"$WEB_DIR/summary"
        SUMMARY+=("${web_lines[@]}")
        if [[ -s "$WEB_DIR/failures" ]]; then
            mapfile -t web_lines <"$WEB_DIR/failures"
            FAILURES+=("${web_lines[@]}")
        fi
    else
        record_not_run "designer checks" "the background run of the designer checks ended without a result (see above)"
    fi
    rm -rf "$WEB_DIR"
    WEB_DIR=""
fi

# ---------------------------------------------------------------- (f) browser tests: the results
# The browser tests ran in the background since the build (see e2e_lane); wait for every lane and count each.
if [[ $RUN_E2E -eq 1 ]]; then
    if [[ ${#E2E_PIDS[@]} -gt 0 ]]; then
        echo "==> waiting for the browser tests (running since the build)"
        for lane_pid in "${E2E_PIDS[@]}"; do wait "$lane_pid"; done
        E2E_PIDS=()
    fi
    lane_dirs=()
    [[ -n "$E2E_DIR" ]] && mapfile -t lane_dirs < <(find "$E2E_DIR" -mindepth 1 -maxdepth 1 -type d -name 'lane*' | sort)
    [[ ${#lane_dirs[@]} -eq 0 ]] && record_not_run "browser (playwright)" "no browser test lane started"
    for lane_dir in "${lane_dirs[@]}"; do
        lane="$(basename "$lane_dir")"
        lane_results="$DESIGNER/test-results/e2e-lanes/$lane"
        banner "browser tests (Playwright), $lane"
        STEP_T0=$E2E_T0
        cat "$lane_dir/log" 2>/dev/null
        cp "$lane_results/e2e.json" "$RESULTS/e2e-$lane.json" 2>/dev/null
        if [[ -d "$lane_results/screenshots" ]]; then
            mkdir -p "$ARTIFACTS/screenshots" && cp -R "$lane_results/screenshots/." "$ARTIFACTS/screenshots/"
        fi
        why="$(cat "$lane_dir/why" 2>/dev/null)"
        [[ -z "$why" && ! -s "$lane_dir/rc" ]] && why="the browser test run ended without a result (see the log above)"
        if [[ -z "$why" ]]; then
            finish_suite "browser (playwright) $lane" "$(cat "$lane_dir/rc")" playwright "$RESULTS/e2e-$lane.json"
        else
            record_not_run "browser (playwright) $lane" "$why"
        fi
    done
    [[ -d "$ARTIFACTS/screenshots" ]] && echo "==> screenshots copied to artifacts/screenshots"
    # What each spec file took, for dealing the lanes next time (copy it over designer/e2e/durations.tsv when specs change).
    python3 "$REPO/scripts/e2e-lanes.py" measure "$ARTIFACTS/e2e-durations.tsv" "$RESULTS"/e2e-lane*.json 2>/dev/null
    rm -rf "$E2E_DIR"
fi

# ---------------------------------------------------------------- (g) summary
print_summary
exit "$SUMMARY_STATUS"
