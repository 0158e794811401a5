# shellcheck shell=bash
# ./lab test: build every target and run every suite, check each suite ran every test the tree has
# (scripts/suites.py), then print one closing "N passed, N failed" line.

TEST_PASSED=0
TEST_FAILED=0
TEST_FAILED_NAMES=()

record_failure() {
  TEST_FAILED=$((TEST_FAILED + 1))
  TEST_FAILED_NAMES+=("$1")
}

# Adds the counts from a summary line such as "100% tests passed, 0 tests failed out of 42".
count_ctest_summary() {
  local suite="$1" logfile="$2" line total failed
  line=$(grep -E 'tests passed, [0-9]+ tests? failed out of [0-9]+' "$logfile" | tail -n 1 || true)
  if [ -z "$line" ]; then
    record_failure "${suite}: ctest printed no summary (see ${logfile})"
    return
  fi
  failed=$(sed -E 's/.* ([0-9]+) tests? failed out of ([0-9]+).*/\1/' <<<"$line")
  total=$(sed -E 's/.* failed out of ([0-9]+).*/\1/' <<<"$line")
  TEST_PASSED=$((TEST_PASSED + total - failed))
  TEST_FAILED=$((TEST_FAILED + failed))
  if [ "$failed" -gt 0 ]; then
    local name
    while IFS= read -r name; do TEST_FAILED_NAMES+=("${suite}: ${name}"); done \
      < <(sed -n '/The following tests FAILED:/,$p' "$logfile" | grep -E '^\s+[0-9]+ - ' | sed -E 's/^\s+[0-9]+ - //')
  fi
}

# The suites each preset must run (scripts/suites.py checks them against the tree's manifest).
# A new suite is a test-name prefix (explore.*, say) plus its name here.
declare -A PRESET_SUITES=(
  [release]="unit,lessons,smoke,suites,corpus,explore"
  [asan]="unit,lessons,corpus"
  [tsan]="unit,lessons,corpus"
  [fuzz]="fuzz"
)
SUITES_RECORD="${WQLAB_ROOT}/build/suites.record"

run_ctest() {
  local preset="$1" prefix=()
  local dir="${WQLAB_ROOT}/build/${preset}"
  local logfile="${WQLAB_ROOT}/build/${preset}.ctest.log" junit="${WQLAB_ROOT}/build/${preset}.junit.xml"
  local require="${PRESET_SUITES[$preset]}"
  # Before running: every test the tree registers is enabled (no tool was missing when configuring).
  python3 "${WQLAB_ROOT}/scripts/suites.py" static "$dir" --preset "$preset" --require "$require" ||
    record_failure "${preset}: tests the tree registers will not run (see above)"
  # ThreadSanitizer needs a predictable address space on kernels with high mmap randomisation.
  [ "$preset" = tsan ] && command -v setarch >/dev/null && prefix=(setarch "$(uname -m)" -R)
  log "running the ${preset} suite"
  rm -f "$junit"
  (cd "$WQLAB_ROOT" && "${prefix[@]}" ctest --preset "$preset" -j "$(nproc)" --timeout 600 \
    --output-junit "$junit") >"$logfile" 2>&1 || true
  grep -E '(Failed|\*\*\*|Timeout|Exception|tests passed)' "$logfile" | grep -v ' Passed ' >&2 || true
  count_ctest_summary "$preset" "$logfile"
  # After: every suite of the preset ran every test the tree has; prints run/distinct per suite.
  python3 "${WQLAB_ROOT}/scripts/suites.py" check "$dir" "$junit" --preset "$preset" \
    --require "$require" --record "$SUITES_RECORD" ||
    record_failure "${preset}: a suite is missing or short (see above)"
}

run_browser_tests() {
  local logfile="${WQLAB_ROOT}/build/web.browser.log" line
  log "running the browser suite (headless Chromium)"
  node "${WQLAB_ROOT}/web/tests/browser.test.mjs" --site "${WQLAB_ROOT}/build/web/site" \
    --out "${WQLAB_ROOT}/build/test-artifacts" >"$logfile" 2>&1 || true
  cat "$logfile" >&2
  line=$(grep -E '^browser: [0-9]+ passed, [0-9]+ failed' "$logfile" | tail -n 1 || true)
  if [ -z "$line" ]; then
    record_failure "browser: the suite printed no summary (see ${logfile})"
    return
  fi
  local passed failed
  passed=$(sed -E 's/^browser: ([0-9]+) passed.*/\1/' <<<"$line")
  failed=$(sed -E 's/.* ([0-9]+) failed.*/\1/' <<<"$line")
  TEST_PASSED=$((TEST_PASSED + passed))
  TEST_FAILED=$((TEST_FAILED + failed))
  [ "$failed" -gt 0 ] && TEST_FAILED_NAMES+=("browser: ${failed} failed (see ${logfile})")
  python3 "${WQLAB_ROOT}/scripts/suites.py" browser "$logfile" --tree "${WQLAB_ROOT}/web/tests" \
    --record "$SUITES_RECORD" || record_failure "browser: the suite is short (see above)"
  return 0
}

# A failed build counts as a failure; the other suites still run.
build_or_record() {
  if (build_preset "$1"); then return 0; fi
  record_failure "build of preset $1"
  return 1
}

cmd_test() {
  local started=$SECONDS
  setup_for test
  mkdir -p "${WQLAB_ROOT}/build/test-artifacts"
  rm -f "$SUITES_RECORD"
  build_or_record release && run_ctest release
  build_or_record asan && run_ctest asan
  build_or_record tsan && run_ctest tsan
  build_or_record fuzz && run_ctest fuzz
  if command -v chromium >/dev/null || [ -n "${WQLAB_CHROMIUM:-}" ]; then
    build_or_record web && run_browser_tests
  else
    record_failure "browser: chromium not found, so the browser suite cannot run (./lab setup installs it)"
  fi
  [ -f "$SUITES_RECORD" ] && python3 "${WQLAB_ROOT}/scripts/suites.py" summary "$SUITES_RECORD"
  if [ "${#TEST_FAILED_NAMES[@]}" -gt 0 ]; then
    printf '[lab] failed:\n' >&2
    printf '  %s\n' "${TEST_FAILED_NAMES[@]}" >&2
  fi
  log "test run took $((SECONDS - started)) s"
  echo "${TEST_PASSED} passed, ${TEST_FAILED} failed"
  [ "$TEST_FAILED" -eq 0 ]
}
