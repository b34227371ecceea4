#!/usr/bin/env python3
"""Deal the browser test files into lanes by how long each took, and keep those times.

    e2e-lanes.py split N TIMES SPEC...      print N lines, each a lane's spec files separated by spaces
    e2e-lanes.py measure OUT RESULT.json... write OUT: each spec file's seconds in these Playwright JSON results

TIMES (designer/e2e/durations.tsv) has one line per spec file, "SECONDS<TAB>e2e/name.spec.ts", as measured by
`measure` on a full run (test.sh writes artifacts/e2e-durations.tsv after every run; copy it over the committed one when
specs are added or change much). A spec missing from it (a new one) counts as the median of the known ones. The longest
files are dealt first, each onto the lane with the least time so far, so a lane is not left with the two longest.
"""
import json
import statistics
import sys


def read_times(path):
    times = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                parts = line.rstrip("\n").split("\t")
                if len(parts) == 2 and not line.startswith("#"):
                    try:
                        times[parts[1]] = float(parts[0])
                    except ValueError:
                        pass
    except OSError:
        pass
    return times


def split(n, times_path, specs):
    times = read_times(times_path)
    known = [times[s] for s in specs if s in times]
    guess = statistics.median(known) if known else 60.0
    weighted = sorted(((times.get(s, guess), s) for s in specs), key=lambda t: (-t[0], t[1]))
    load = [0.0] * n
    lanes = [[] for _ in range(n)]
    for seconds, spec in weighted:
        best = min(range(n), key=lambda i: (load[i], i))
        load[best] += seconds
        lanes[best].append(spec)
    for lane in lanes:
        print(" ".join(lane))


def walk(suite, file, per):
    file = suite.get("file", file)
    for spec in suite.get("specs", []):
        name = spec.get("file", file)
        for test in spec.get("tests", []):
            for result in test.get("results", []):
                per[name] = per.get(name, 0.0) + result.get("duration", 0) / 1000.0
    for child in suite.get("suites", []):
        walk(child, file, per)


def measure(out, results):
    per = {}
    for path in results:
        try:
            with open(path, encoding="utf-8") as f:
                data = json.load(f)
        except (OSError, ValueError):
            continue
        for suite in data.get("suites", []):
            walk(suite, None, per)
    lines = [f"{seconds:.0f}\te2e/{name}" for name, seconds in per.items() if name.endswith(".spec.ts")]
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(line + "\n" for line in sorted(lines, key=lambda l: -float(l.split("\t")[0]))))


def main(argv):
    if len(argv) >= 3 and argv[1] == "split":
        split(max(1, int(argv[2])), argv[3] if len(argv) > 3 else "", argv[4:])
    elif len(argv) >= 3 and argv[1] == "measure":
        measure(argv[2], argv[3:])
    else:
        print(__doc__, file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
