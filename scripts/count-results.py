#!/usr/bin/env python3
"""Read one test-result file and print "PASSED FAILED NOTE" on one line.

    count-results.py trx        path/to/results.trx     (VSTest TRX: <Counters .../>)
    count-results.py vitest     path/to/vitest.json     (vitest JSON reporter)
    count-results.py playwright path/to/e2e.json        (Playwright JSON reporter)

With --failures first, print instead the tests that did not pass, a line each
("  ✗ name — first line of the message", at most 20), so that a CI log that keeps
only its tail still names them; nothing when the file is unreadable.

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


def first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def local(tag):
    return tag.rsplit("}", 1)[-1]


def failures_trx(path):
    for el in ET.parse(path).getroot().iter():
        if local(el.tag) != "UnitTestResult" or el.get("outcome") in ("Passed", "NotExecuted", None):
            continue
        message = next((child.text or "" for child in el.iter() if local(child.tag) == "Message"), "")
        yield el.get("testName", "?"), first_line(message)


def failures_vitest(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for suite in data.get("testResults", []):
        if suite.get("status") == "failed" and not suite.get("assertionResults"):
            yield suite.get("name", "?"), first_line(suite.get("message"))
        for test in suite.get("assertionResults", []):
            if test.get("status") == "failed":
                yield test.get("fullName", "?"), first_line(" ".join(test.get("failureMessages") or []))


def failures_playwright(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)

    def walk(suite, titles):
        for spec in suite.get("specs", []):
            for test in spec.get("tests", []):
                if test.get("status") == "unexpected":
                    results = test.get("results") or [{}]
                    error = (results[-1].get("error") or {}).get("message", "")
                    yield " › ".join(titles + [spec.get("title", "?")]), first_line(error)
        for child in suite.get("suites", []):
            yield from walk(child, titles + [child.get("title", "")])

    for suite in data.get("suites", []):
        yield from walk(suite, [suite.get("title", "")])


def print_failures(kind, path, limit=20):
    reader = {"trx": failures_trx, "vitest": failures_vitest, "playwright": failures_playwright}[kind]
    try:
        failures = list(reader(path))
    except (OSError, ValueError, ET.ParseError):
        return 0
    for name, message in failures[:limit]:
        print(f"  ✗ {name}" + (f" — {message}" if message else ""))
    if len(failures) > limit:
        print(f"  … and {len(failures) - limit} more")
    return 0


def main():
    args = sys.argv[1:]
    listing = bool(args) and args[0] == "--failures"
    if listing:
        args = args[1:]
    if len(args) != 2 or args[0] not in ("trx", "vitest", "playwright"):
        print(__doc__.strip().splitlines()[0], file=sys.stderr)
        print("usage: count-results.py [--failures] trx|vitest|playwright FILE", file=sys.stderr)
        return 2
    kind, path = args
    if listing:
        return print_failures(kind, path)
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
