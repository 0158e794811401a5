"""The browser suite's count (scripts/suites.py browser): test names holding ': ' count as
themselves, a failing line's reason after ' # ' is not part of its name, and a suite that ran
fewer distinct tests than its test(...) call sites fails."""
import pathlib
import subprocess
import sys
import tempfile

SUITES = pathlib.Path(__file__).resolve().parents[2] / "scripts" / "suites.py"
TREE = """
for (const l of lessons) {
  await test(`${l}: runs`, async () => {});
  await test(`${l}: steps back`, async () => {});
}
await test(h, 'a plain test', async () => {});
await test('a failing test', async () => {});
"""


def run(log_lines):
    with tempfile.TemporaryDirectory() as d:
        tree = pathlib.Path(d) / "tests"
        tree.mkdir()
        (tree / "a.test.mjs").write_text(TREE, encoding="utf-8")
        log = pathlib.Path(d) / "browser.log"
        log.write_text("\n".join(log_lines) + "\n", encoding="utf-8")
        return subprocess.run([sys.executable, str(SUITES), "browser", str(log), "--tree", str(tree)],
                              capture_output=True, text=True)


def main():
    full = ["ok - 01: runs", "ok - 01: steps back", "ok - 02: runs", "ok - 02: steps back",
            "ok - a plain test", "not ok - a failing test # expected 3: got 4"]
    r = run(full)
    assert r.returncode == 0, f"a full run was refused:\n{r.stderr}"
    assert "6 run, 6 distinct (the tree has 4 test call sites)" in r.stderr, r.stderr
    # Only the lesson tests of one lesson ran: 4 distinct of the 4 sites would pass if the
    # names were cut at ': ', so drop two more to be below the floor.
    short = ["ok - 01: runs", "ok - 01: steps back", "ok - a plain test"]
    r = run(short)
    assert r.returncode == 1, f"a short run passed:\n{r.stderr}"
    assert "3 distinct tests ran, fewer than the 4 test(...) calls" in r.stderr, r.stderr
    # Names cut at their first ': ' would collapse four lesson runs into two.
    r = run(full[:4] + ["ok - a plain test"])
    assert "5 run, 5 distinct" in r.stderr, r.stderr
    print("browser count check: ok")


if __name__ == "__main__":
    main()
