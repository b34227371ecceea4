#!/usr/bin/env python3
"""Read one test-result file and print "PASSED FAILED NOTE" on one line.

    count-results.py trx        path/to/results.trx     (VSTest TRX: <Counters .../>)
    count-results.py vitest     path/to/vitest.json     (vitest JSON reporter)
    count-results.py playwright path/to/e2e.json        (Playwright JSON reporter)

FAILED includes everything that is not a pass: failed, errored, timed out and
aborted tests (TRX); failed tests, plus 1 when test files failed to load
without any failed test (vitest); unexpected results, plus 1 when there were
global errors without any failed test (Playwright). Flaky Playwright tests
(passed on retry) count as passed and are mentioned in NOTE.

Exit status 0 when the file was understood, 1 (with a message on stderr) when not.
"""
import json
import re
import sys
import xml.etree.ElementTree as ET


def as_int(value):
    try:
        return int(value)
    except (TypeError, ValueError):
        return 0


def count_trx(path):
    attrs = None
    try:
        root = ET.parse(path).getroot()
        for el in root.iter():
            if el.tag == "Counters" or el.tag.endswith("}Counters"):
                attrs = el.attrib
                break
    except ET.ParseError:
        # A truncated file: fall back to a plain search for the element.
        with open(path, encoding="utf-8", errors="replace") as f:
            m = re.search(r"<Counters\b([^>]*)>", f.read())
        if m:
            attrs = dict(re.findall(r'(\w+)="([^"]*)"', m.group(1)))
    if attrs is None:
        raise ValueError("no <Counters> element")
    passed = as_int(attrs.get("passed"))
    failed = sum(as_int(attrs.get(k)) for k in ("failed", "error", "timeout", "aborted"))
    notes = [f"total={as_int(attrs.get('total'))}", f"executed={as_int(attrs.get('executed'))}"]
    not_run = as_int(attrs.get("notExecuted"))
    if not_run:
        notes.append(f"skipped={not_run}")
    return passed, failed, " ".join(notes)


def count_vitest(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    if "numPassedTests" not in data and "numFailedTests" not in data:
        raise ValueError("no numPassedTests/numFailedTests")
    passed = as_int(data.get("numPassedTests"))
    failed = as_int(data.get("numFailedTests"))
    notes = []
    skipped = as_int(data.get("numPendingTests")) + as_int(data.get("numTodoTests"))
    if skipped:
        notes.append(f"skipped={skipped}")
    bad_files = as_int(data.get("numFailedTestSuites"))
    if bad_files:
        notes.append(f"failed_files={bad_files}")
        if failed == 0:
            failed = 1
    return passed, failed, " ".join(notes)


def count_playwright(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    stats = data.get("stats")
    if not isinstance(stats, dict):
        raise ValueError("no stats object")
    expected = as_int(stats.get("expected"))
    unexpected = as_int(stats.get("unexpected"))
    flaky = as_int(stats.get("flaky"))
    skipped = as_int(stats.get("skipped"))
    notes = []
    if flaky:
        notes.append(f"flaky={flaky}")
    if skipped:
        notes.append(f"skipped={skipped}")
    errors = data.get("errors") or []
    if errors:
        notes.append(f"global_errors={len(errors)}")
        if unexpected == 0:
            unexpected = 1
    return expected + flaky, unexpected, " ".join(notes)


def main():
    if len(sys.argv) != 3 or sys.argv[1] not in ("trx", "vitest", "playwright"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: count-results.py trx|vitest|playwright FILE", file=sys.stderr)
        return 2
    kind, path = sys.argv[1], sys.argv[2]
    counter = {"trx": count_trx, "vitest": count_vitest, "playwright": count_playwright}[kind]
    try:
        passed, failed, note = counter(path)
    except (OSError, ValueError, json.JSONDecodeError, ET.ParseError) as e:
        print(f"cannot read {kind} results from {path}: {e}", file=sys.stderr)
        return 1
    print(passed, failed, note or "-")
    return 0


if __name__ == "__main__":
    sys.exit(main())
