# shellcheck shell=bash
# Configures (once) and builds a CMake preset; sourced by ./lab.

# Emscripten on Debian needs the Debian acorn module for its JS optimizer (see ../shared/TOOLCHAIN.md).
export NODE_PATH="/usr/share/nodejs${NODE_PATH:+:${NODE_PATH}}"

build_preset() {
  local preset="$1"
  local dir="${WQLAB_ROOT}/build/${preset}"
  case "$preset" in release | debug | asan | tsan | fuzz | web) ;; *) die "unknown preset: $preset" ;; esac
  # Configure once; afterwards ninja re-runs CMake itself when a CMakeLists.txt changes. A tool a
  # test suite needs is never cached as missing (cmake/TestTools.cmake): configuring fails, so
  # the next build configures again and finds it once installed.
  mkdir -p "${WQLAB_ROOT}/build"
  if [ ! -f "${dir}/build.ninja" ]; then
    log "configuring ${preset}"
    (cd "$WQLAB_ROOT" && cmake --preset "$preset" >"${WQLAB_ROOT}/build/${preset}.configure.log" 2>&1) || {
      cat "${WQLAB_ROOT}/build/${preset}.configure.log" >&2
      die "configuring preset ${preset} failed"
    }
  fi
  log "building ${preset}"
  local buildlog="${WQLAB_ROOT}/build/${preset}.build.log"
  if ! (cd "$WQLAB_ROOT" && cmake --build --preset "$preset") >"$buildlog" 2>&1; then
    grep -v '^\[[0-9]*/[0-9]*\] ' "$buildlog" | tail -n 60 >&2
    die "building preset ${preset} failed (full log: ${buildlog})"
  fi
}
