#!/usr/bin/env python3
"""Print the tests that did not pass in one result file, a line each (name: first line of the message).

    failed-tests.py trx|vitest|playwright FILE [LIMIT]

test.sh prints these under its summary, so that a CI log that keeps only its
tail still says which tests failed. Prints nothing when the file is unreadable.
"""
import json
import sys
import xml.etree.ElementTree as ET


def first_line(text):
    for line in (text or "").splitlines():
        if line.strip():
            return line.strip()[:300]
    return ""


def local(tag):
    return tag.rsplit("}", 1)[-1]


def from_trx(path):
    root = ET.parse(path).getroot()
    for el in root.iter():
        if local(el.tag) != "UnitTestResult" or el.get("outcome") in ("Passed", "NotExecuted", None):
            continue
        message = ""
        for child in el.iter():
            if local(child.tag) == "Message":
                message = child.text or ""
                break
        yield el.get("testName", "?"), first_line(message)


def from_vitest(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)
    for suite in data.get("testResults", []):
        if suite.get("status") == "failed" and not suite.get("assertionResults"):
            yield suite.get("name", "?"), first_line(suite.get("message"))
        for test in suite.get("assertionResults", []):
            if test.get("status") == "failed":
                yield test.get("fullName", "?"), first_line(" ".join(test.get("failureMessages") or []))


def from_playwright(path):
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


def main():
    if len(sys.argv) not in (3, 4) or sys.argv[1] not in ("trx", "vitest", "playwright"):
        print("usage: failed-tests.py trx|vitest|playwright FILE [LIMIT]", file=sys.stderr)
        return 2
    limit = int(sys.argv[3]) if len(sys.argv) == 4 else 20
    reader = {"trx": from_trx, "vitest": from_vitest, "playwright": from_playwright}[sys.argv[1]]
    try:
        failures = list(reader(sys.argv[2]))
    except (OSError, ValueError, ET.ParseError):
        return 0
    for name, message in failures[:limit]:
        print(f"  ✗ {name}" + (f" — {message}" if message else ""))
    if len(failures) > limit:
        print(f"  … and {len(failures) - limit} more")
    return 0


if __name__ == "__main__":
    sys.exit(main())
