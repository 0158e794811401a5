#!/usr/bin/env python3
"""Per-suite test counts for ./lab test: what the tree says must run against what did run.

The expectation comes from the tree, never from a number typed by hand:
  - a configured build's suite manifest (wqlab-suites.tsv, cmake/TestSuites.cmake) lists every
    test registered with add_test (its suite is the lowercase letters its name starts with) and
    every GoogleTest executable with its sources, whose TEST/TEST_F/TEST_P definitions must run;
  - the browser suite's floor is the number of test(...) call sites in web/tests/*.mjs.

usage:
  suites.py static BUILD_DIR --preset P --require S,S   before ctest: every registered test is
                                                         enabled, every required suite present
  suites.py check BUILD_DIR JUNIT --preset P --require S,S --record FILE
                                                         after ctest: every test ran
  suites.py browser LOG --tree DIR --record FILE         the browser suite's output
  suites.py summary FILE                                 runs and distinct tests over all suites
Exit code 1 (with one line per problem on stderr) when a suite is missing or short.
"""
import argparse
import collections
import glob
import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET

GTEST_DEF = re.compile(r"(?<![A-Za-z0-9_])(?:TEST|TEST_F|TEST_P)\(\s*(\w+)\s*,\s*(\w+)\s*\)")
# Discovered names: Suite.Name, or Instantiation/Suite.Name/Param for TEST_P.
GTEST_RUN = re.compile(r"^(?:[A-Za-z0-9_]+/)?([A-Za-z0-9_]+)\.([A-Za-z0-9_]+)(?:/.*)?$")
BROWSER_CALL = re.compile(r"\btest\((?:h,\s*)?[`'\"]")
BROWSER_LINE = re.compile(r"^(?:not )?ok - (.+?)(?: # .*)?$")  # TAP: "not ok - NAME # REASON"
SHOW = 12  # names listed per problem


class Manifest:
    def __init__(self, build_dir):
        path = os.path.join(build_dir, "wqlab-suites.tsv")
        if not os.path.exists(path):
            raise SystemExit(f"suites: {path} does not exist: configure {build_dir} first")
        self.tests = {}  # name -> (suite, enabled)
        self.gtest_defs = {}  # "Suite.Name" -> source file
        self.notes = collections.defaultdict(list)
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.startswith("#") or not line.strip():
                    continue
                kind, suite, name, detail = line.rstrip("\n").split("\t", 3)
                if kind == "test":
                    self.tests[name] = (suite, detail == "enabled")
                elif kind == "gtest":
                    for src in filter(None, detail.split(";")):
                        for d in gtest_definitions(src):
                            self.gtest_defs[d] = src
                elif kind == "note":
                    self.notes[suite].append(detail)

    def expected(self):
        """suite -> set of names (tests) or definitions (unit)."""
        out = collections.defaultdict(set)
        for name, (suite, _) in self.tests.items():
            out[suite].add(name)
        for d in self.gtest_defs:
            out["unit"].add(d)
        return out

    def classify(self, name):
        """(suite, distinct name) of a test ctest ran."""
        if name in self.tests:
            return self.tests[name][0], name
        m = GTEST_RUN.match(name)
        if m and f"{m.group(1)}.{m.group(2)}" in self.gtest_defs:
            return "unit", f"{m.group(1)}.{m.group(2)}"
        return "unlisted", name


def gtest_definitions(path):
    try:
        with open(path, encoding="utf-8") as f:
            text = f.read()
    except OSError:
        return []
    return [f"{a}.{b}" for a, b in GTEST_DEF.findall(text) if not b.startswith("DISABLED_")]


def listing(names):
    names = sorted(names)
    more = f", and {len(names) - SHOW} more" if len(names) > SHOW else ""
    return ", ".join(names[:SHOW]) + more


def ctest_registered(build_dir):
    """name -> disabled, from ctest itself (what it would run now)."""
    out = subprocess.run(["ctest", "--test-dir", build_dir, "--show-only=json-v1"],
                         capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise SystemExit(f"suites: ctest --show-only failed in {build_dir}: {out.stderr.strip()}")
    tests = {}
    for t in json.loads(out.stdout).get("tests", []):
        disabled = any(p.get("name") == "DISABLED" and p.get("value") for p in t.get("properties", []))
        tests[t["name"]] = disabled
    return tests


def cmd_static(args):
    man = Manifest(args.build_dir)
    registered = ctest_registered(args.build_dir)
    problems = []
    by_suite = collections.defaultdict(list)
    for name, (suite, _) in man.tests.items():
        by_suite[suite].append(name)
    for suite in args.require:
        if suite != "unit" and not by_suite.get(suite):
            problems.append(f"{args.preset}/{suite}: missing: this build registers no {suite} test")
    if "unit" in args.require and not man.gtest_defs:
        problems.append(f"{args.preset}/unit: missing: this build has no GoogleTest executable")
    for suite, names in sorted(by_suite.items()):
        off = [n for n in names if n not in registered or registered[n]]
        if off:
            why = "; ".join(man.notes.get(suite, [])) or "disabled or not registered"
            problems.append(f"{args.preset}/{suite}: {len(off)} of the {len(names)} tests the tree "
                            f"registers will not run ({why}): {listing(off)}")
    for p in problems:
        print(f"[lab] error: {p}", file=sys.stderr)
    return 1 if problems else 0


def junit_cases(path):
    """(name, ran, failed) for every testcase ctest wrote."""
    try:
        root = ET.parse(path).getroot()
    except (OSError, ET.ParseError) as e:
        raise SystemExit(f"suites: cannot read {path}: {e}")
    for case in root.iter("testcase"):
        status = case.get("status", "run")
        skipped = case.find("skipped") is not None
        ran = status in ("run", "fail") and not skipped
        failed = status == "fail" or case.find("failure") is not None
        yield case.get("name"), ran, failed


def record(path, preset, suite, names):
    with open(path, "a", encoding="utf-8") as f:
        for distinct, real in names:
            f.write(f"{preset}\t{suite}\t{distinct}\t{real}\n")


def cmd_check(args):
    man = Manifest(args.build_dir)
    expected = man.expected()
    ran = collections.defaultdict(list)  # suite -> [(distinct, name)]
    for name, did_run, _ in junit_cases(args.junit):
        if did_run:
            suite, distinct = man.classify(name)
            ran[suite].append((distinct, name))
    problems = []
    for suite in sorted(set(expected) | set(ran) | set(args.require)):
        runs = ran.get(suite, [])
        distinct = {d for d, _ in runs}
        want = expected.get(suite, set())
        if suite in args.require and not want:
            problems.append(f"{args.preset}/{suite}: missing: the build registers no {suite} test")
        short = want - distinct
        print(f"[lab] {args.preset}/{suite}: {len(runs)} run, {len(distinct)} distinct"
              + (f" (the tree has {len(want)})" if want else " (not in the suite manifest)"),
              file=sys.stderr)
        if short:
            why = "; ".join(man.notes.get(suite, []))
            problems.append(f"{args.preset}/{suite}: {len(short)} of the {len(want)} tests the tree "
                            f"has did not run{f' ({why})' if why else ''}: {listing(short)}")
        if args.record:
            record(args.record, args.preset, suite, runs)
    for p in problems:
        print(f"[lab] error: {p}", file=sys.stderr)
    return 1 if problems else 0


def cmd_browser(args):
    sites = 0
    for path in sorted(glob.glob(os.path.join(args.tree, "*.mjs"))):
        with open(path, encoding="utf-8") as f:
            sites += len(BROWSER_CALL.findall(f.read()))
    names = []
    with open(args.log, encoding="utf-8", errors="replace") as f:
        for line in f:
            m = BROWSER_LINE.match(line.rstrip("\n"))
            if m:
                names.append(m.group(1))
    distinct = set(names)
    print(f"[lab] web/browser: {len(names)} run, {len(distinct)} distinct "
          f"(the tree has {sites} test call sites)", file=sys.stderr)
    if args.record:
        record(args.record, "web", "browser", [(n, n) for n in names])
    if len(distinct) < sites:
        print(f"[lab] error: web/browser: {len(distinct)} distinct tests ran, fewer than the "
              f"{sites} test(...) calls in {args.tree}", file=sys.stderr)
        return 1
    return 0


def cmd_summary(args):
    runs = 0
    distinct = set()
    per_suite = collections.defaultdict(set)
    with open(args.record, encoding="utf-8") as f:
        for line in f:
            preset, suite, name, _ = line.rstrip("\n").split("\t", 3)
            runs += 1
            distinct.add((suite, name))
            per_suite[suite].add(name)
    parts = ", ".join(f"{s} {len(n)}" for s, n in sorted(per_suite.items()))
    print(f"[lab] {runs} test runs of {len(distinct)} distinct tests ({parts})", file=sys.stderr)
    return 0


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    sub = ap.add_subparsers(dest="cmd", required=True)

    def suites_list(text):
        return [s for s in text.split(",") if s]

    p = sub.add_parser("static")
    p.add_argument("build_dir")
    p.add_argument("--preset", default="build")
    p.add_argument("--require", type=suites_list, default=[])
    p.set_defaults(fn=cmd_static)
    p = sub.add_parser("check")
    p.add_argument("build_dir")
    p.add_argument("junit")
    p.add_argument("--preset", default="build")
    p.add_argument("--require", type=suites_list, default=[])
    p.add_argument("--record")
    p.set_defaults(fn=cmd_check)
    p = sub.add_parser("browser")
    p.add_argument("log")
    p.add_argument("--tree", required=True)
    p.add_argument("--record")
    p.set_defaults(fn=cmd_browser)
    p = sub.add_parser("summary")
    p.add_argument("record")
    p.set_defaults(fn=cmd_summary)
    args = ap.parse_args()
    return args.fn(args)


if __name__ == "__main__":
    sys.exit(main())
