# shellcheck shell=bash
# ./lab explore [--seeds N] [--seed S] [--first S] [--tests FILTER] [FILE...]: schedule
# exploration (docs/explore.md). Builds the release preset and runs build/release/tests/explore/
# wqlab_explore over every lesson and every KERNEL_SPEC §11 test (or only the FILEs given, or
# only the §11 tests a --tests filter names) under N seeds (default 10 000). Exits 1 when a seed
# breaks an invariant or a lesson's check; the report names the seed and how to replay it.

cmd_explore() {
  local args=() files=() tests=0
  while [ $# -gt 0 ]; do
    case "$1" in
      --seeds | --seed | --first)
        [ $# -ge 2 ] || die "$1 needs a number"
        [[ "$2" =~ ^[0-9]+$ ]] || die "$1 expects a whole number, got '$2'"
        args+=("$1" "$2"); shift 2 ;;
      --tests)
        [ $# -ge 2 ] || die "--tests needs a gtest filter"
        args+=("$1" "$2"); tests=1; shift 2 ;;
      -*) die "unknown option for explore: $1" ;;
      *) files+=("$1"); shift ;;
    esac
  done
  setup_for desktop
  build_preset release
  local exe="${WQLAB_ROOT}/build/release/tests/explore/wqlab_explore"
  [ -x "$exe" ] || die "the explorer was not built (${exe})"
  if [ ${#files[@]} -eq 0 ] && [ "$tests" = 0 ]; then
    files=("${WQLAB_ROOT}/lessons")
    args+=(--section11)
  fi
  log "exploring schedules: ${files[*]:-} ${args[*]}"
  "$exe" "${args[@]}" "${files[@]}"
}
