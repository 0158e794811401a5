# shellcheck shell=bash
# ./lab fuzz [--seconds N] [TARGET]: builds the fuzz preset (clang, libFuzzer, ASan + UBSan) and
# fuzzes each target listed in build/fuzz/fuzz-targets.tsv (tests/fuzz/CMakeLists.txt), one at a
# time and niced, from its seeds; what it learns stays in build/fuzz/fuzz-work/TARGET/corpus.
# Prints each target's executions, coverage and crashes; exits 1 if any target crashed.

cmd_fuzz() {
  local seconds=60 only="" crashed=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --seconds) seconds="${2:?--seconds needs a number}"; shift 2 ;;
      -*) die "unknown option for fuzz: $1" ;;
      *) only="$1"; shift ;;
    esac
  done
  if ! [[ "$seconds" =~ ^[1-9][0-9]*$ ]]; then
    die "--seconds expects a whole number of seconds, got '$seconds'"
  fi
  setup_for fuzz
  build_preset fuzz
  local list="${WQLAB_ROOT}/build/fuzz/fuzz-targets.tsv" found=0
  [ -f "$list" ] || die "no fuzz target list at ${list}"
  local name exe dict seeds
  while IFS=$'\t' read -r name exe dict seeds; do
    [ -n "$only" ] && [ "$name" != "$only" ] && continue
    found=1
    local work="${WQLAB_ROOT}/build/fuzz/fuzz-work/${name}" logfile
    logfile="${WQLAB_ROOT}/build/fuzz/fuzz-${name}.log"
    mkdir -p "${work}/corpus" "${work}/artifacts"
    log "fuzzing ${name} for ${seconds} s (log: ${logfile})"
    local args=(-max_total_time="$seconds" -print_final_stats=1 -timeout=10 -rss_limit_mb=2048
      -artifact_prefix="${work}/artifacts/")
    [ "$dict" != "-" ] && args+=("$dict")
    # shellcheck disable=SC2086 # the seed folders are one space-separated field
    if nice -n 10 "$exe" "${args[@]}" "${work}/corpus" $seeds >"$logfile" 2>&1; then
      fuzz_figures "$name" "$logfile" "no crash"
    else
      crashed=1
      fuzz_figures "$name" "$logfile" "CRASHED: inputs in ${work}/artifacts/ (add each to tests/fuzz/regressions/${name}/ once fixed)"
    fi
  done <"$list"
  [ "$found" = 1 ] || die "no fuzz target called '${only}' (see ${list})"
  return "$crashed"
}

# One line: executions, coverage (edges, features), corpus size, verdict.
fuzz_figures() {
  local name="$1" logfile="$2" verdict="$3" execs done_line cov ft corp
  execs=$(grep -oE 'stat::number_of_executed_units: [0-9]+' "$logfile" | grep -oE '[0-9]+$' || echo "?")
  done_line=$(grep -E '^#[0-9]+[[:space:]]+(DONE|INITED)' "$logfile" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || echo "?")
  ft=$(grep -oE 'ft: [0-9]+' <<<"$done_line" | grep -oE '[0-9]+' || echo "?")
  corp=$(grep -oE 'corp: [0-9]+/[0-9]+[a-zA-Z]*' <<<"$done_line" | sed 's/corp: //' || echo "?")
  printf '%s: %s executions, coverage %s edges / %s features, corpus %s, %s\n' \
    "$name" "$execs" "$cov" "$ft" "$corp" "$verdict"
}
