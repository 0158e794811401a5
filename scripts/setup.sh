# shellcheck shell=bash
# Installs what wqlab needs on a Debian/Ubuntu machine, skipping what is already there.
# Sourced by ./lab; every function is idempotent and quiet when there is nothing to do.

WQLAB_DEPS_DIR="${WQLAB_ROOT}/.deps"
IMGUI_VERSION="1.90.1"
IMGUI_ORIG="imgui_${IMGUI_VERSION}+ds.orig.tar.xz"
IMGUI_SHA256="ecce377df0f90b292f15dcbd83d438bddc162b2388c881132bde18c787572a1c"
IMGUI_DIR="${WQLAB_DEPS_DIR}/imgui-${IMGUI_VERSION}"
TRIXIE_SRC_LIST="/etc/apt/sources.list.d/wqlab-trixie-src.sources"

# Packages per purpose; `lab` asks only for the groups a command needs.
PKGS_BUILD=(g++ cmake ninja-build pkg-config python3 libgtest-dev libgmock-dev libbenchmark-dev
  libtomlplusplus-dev nlohmann-json3-dev libcli11-dev)
# The release build registers the desktop smoke tests, whose tools must exist when it is
# configured (cmake/TestTools.cmake): `./lab run` and `./lab test` configure the same tree.
PKGS_DESKTOP=(libglfw3-dev python3-glad libgl-dev libpng-dev xvfb xauth x11-xserver-utils)
PKGS_WEB=(emscripten)
PKGS_TEST=(xvfb xauth x11-xserver-utils chromium fonts-wqy-microhei python3-fonttools)
PKGS_BENCH=(libboost-dev libtbb-dev)
PKGS_FUZZ=(clang libclang-rt-14-dev)  # libFuzzer (the fuzz preset)

log() { printf '[lab] %s\n' "$*" >&2; }
die() { printf '[lab] error: %s\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi
}

missing_pkgs() {
  local p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "ok installed" || printf '%s\n' "$p"
  done
}

ensure_pkgs() {
  local missing
  mapfile -t missing < <(missing_pkgs "$@")
  [ "${#missing[@]}" -eq 0 ] && return 0
  command -v apt-get >/dev/null || die "apt-get not found; wqlab's set-up needs Debian or Ubuntu (missing: ${missing[*]})"
  log "installing ${missing[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq ||
    die "apt-get update failed"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null ||
    die "apt-get install failed for: ${missing[*]}"
}

# Dear ImGui 1.90.1 comes from Debian trixie's source package (bookworm ships only 1.86).
ensure_imgui() {
  [ -f "${IMGUI_DIR}/imgui.cpp" ] && return 0
  mkdir -p "${WQLAB_DEPS_DIR}/dl"
  local tarball="${WQLAB_DEPS_DIR}/dl/${IMGUI_ORIG}"
  if [ ! -f "$tarball" ]; then
    ensure_pkgs dpkg-dev xz-utils
    [ -f /usr/share/keyrings/debian-archive-keyring.gpg ] || ensure_pkgs debian-archive-keyring
    if [ ! -f "$TRIXIE_SRC_LIST" ]; then
      log "adding a deb-src entry for Debian trixie (source packages only) at ${TRIXIE_SRC_LIST}"
      local tmp
      tmp=$(mktemp)
      cat >"$tmp" <<'EOF'
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
EOF
      as_root install -m 0644 "$tmp" "$TRIXIE_SRC_LIST"
      rm -f "$tmp"
      as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq || die "apt-get update failed"
    fi
    log "downloading Dear ImGui ${IMGUI_VERSION} sources (Debian source package imgui/trixie)"
    (cd "${WQLAB_DEPS_DIR}/dl" && apt-get source --download-only "imgui/trixie" >/dev/null 2>&1) ||
      die "apt-get source imgui/trixie failed; is ${TRIXIE_SRC_LIST} present and 'apt-get update' working?"
    [ -f "$tarball" ] || die "expected ${tarball} after apt-get source; Debian's imgui/trixie is no longer ${IMGUI_VERSION}"
  fi
  echo "${IMGUI_SHA256}  ${tarball}" | sha256sum -c --quiet - ||
    die "checksum mismatch for ${tarball}"
  tar -xf "$tarball" -C "${WQLAB_DEPS_DIR}"
  [ -f "${IMGUI_DIR}/imgui.cpp" ] || die "ImGui sources not found in ${IMGUI_DIR} after extraction"
}

# playwright-core and coi-serviceworker from npm, pinned by web/package-lock.json.
ensure_npm_modules() {
  # The stamp holds the lock file's hash, not its time: a fresh checkout (or another worktree
  # sharing node_modules) with the same lock file installs nothing.
  local stamp="${WQLAB_ROOT}/web/node_modules/.lab-stamp" want
  want=$(sha256sum "${WQLAB_ROOT}/web/package-lock.json" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then return 0; fi
  # An older ./lab left an empty stamp: trust it if it is newer than the lock file.
  if [ -f "$stamp" ] && [ ! -s "$stamp" ] && [ "$stamp" -nt "${WQLAB_ROOT}/web/package-lock.json" ]; then
    return 0
  fi
  command -v npm >/dev/null || ensure_pkgs nodejs npm
  log "installing npm packages for web/"
  (cd "${WQLAB_ROOT}/web" && npm ci --no-audit --no-fund --loglevel=error >/dev/null) || die "npm ci failed in web/"
  echo "$want" >"$stamp"
}

setup_for() {
  local what
  local pkgs=("${PKGS_BUILD[@]}")
  for what in "$@"; do
    case "$what" in
      desktop) pkgs+=("${PKGS_DESKTOP[@]}") ;;
      web) pkgs+=("${PKGS_WEB[@]}") ;;
      test) pkgs+=("${PKGS_TEST[@]}" "${PKGS_WEB[@]}" "${PKGS_DESKTOP[@]}" "${PKGS_BENCH[@]}"
        "${PKGS_FUZZ[@]}") ;;
      fuzz) pkgs+=("${PKGS_FUZZ[@]}") ;;
      bench) pkgs+=("${PKGS_BENCH[@]}" "${PKGS_DESKTOP[@]}") ;;
      browser) pkgs+=(chromium fonts-wqy-microhei python3-fonttools) ;;  # ./lab bench --web
    esac
  done
  ensure_pkgs "${pkgs[@]}"
  ensure_imgui
  case " $* " in *" web "* | *" test "*) ensure_npm_modules ;; esac
}
