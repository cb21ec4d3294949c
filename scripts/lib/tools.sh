# shellcheck shell=bash
# Installs, idempotently, every tool the project needs on a fresh Debian
# machine. Sourced by scripts/serve and scripts/test; each function returns at
# once when its tool is already there at the right version.
#
# Versions and the reasons for them (trunk 0.21.14
# because 0.22 needs rustc 1.96.1; wasm-bindgen-cli equal to Cargo.lock's
# wasm-bindgen, or trunk tries to download it; wasm-opt from npm binaryen 132,
# because Debian's binaryen 108 builds a wasm that renders nothing).

set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
TRUNK_VERSION="0.21.14"
export PATH="$HOME/.cargo/bin:$ROOT/node_modules/.bin:$PATH"
export TRUNK_SKIP_VERSION_CHECK=true

log() { printf '\033[1;34m==>\033[0m %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

APT_UPDATED=0
apt_install() {
  local missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  log "installing Debian packages: ${missing[*]}"
  if [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq
    APT_UPDATED=1
  fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown && return 0
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
}

ensure_trunk() {
  if command -v trunk >/dev/null && [ "$(trunk --version | awk '{print $2}')" = "$TRUNK_VERSION" ]; then
    return 0
  fi
  log "installing trunk $TRUNK_VERSION (takes about 7 minutes once)"
  cargo install --locked trunk --version "$TRUNK_VERSION"
}

# The wasm-bindgen version Cargo.lock resolved; the CLI must match it exactly.
locked_wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ {getline; gsub(/version = |"/, ""); print; exit}' "$ROOT/Cargo.lock"
}

ensure_wasm_bindgen() {
  [ -f "$ROOT/Cargo.lock" ] || (cd "$ROOT" && cargo generate-lockfile)
  local want
  want="$(locked_wasm_bindgen_version)"
  if command -v wasm-bindgen >/dev/null && [ "$(wasm-bindgen --version | awk '{print $2}')" = "$want" ]; then
    return 0
  fi
  log "installing wasm-bindgen-cli $want (takes about 3 minutes once)"
  # --locked first; its lockfile can pin crates the registry mirror lacks.
  cargo install --locked wasm-bindgen-cli --version "$want" ||
    cargo install --force wasm-bindgen-cli --version "$want"
}

ensure_node() {
  command -v node >/dev/null && command -v npm >/dev/null && return 0
  apt_install nodejs npm
}

# npm tools (binaryen's wasm-opt, playwright-core): reinstalled only when
# package-lock.json changes.
ensure_npm_tools() {
  ensure_node
  local stamp="$ROOT/node_modules/.installed-lock.sha256"
  local want
  want="$(sha256sum "$ROOT/package-lock.json" | awk '{print $1}')"
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$want" ]; then
    return 0
  fi
  log "installing npm tools (npm ci)"
  (cd "$ROOT" && npm ci --no-audit --no-fund --loglevel=error)
  echo "$want" >"$stamp"
}

ensure_browser() {
  # ffmpeg makes the media files the e2e tests pick, drop and paste.
  apt_install chromium chromium-driver ffmpeg
  export CHROMEDRIVER=/usr/bin/chromedriver
}

# The two other engines of the common-floor suite (e2e/engines/), from
# Debian: Firefox ESR, driven over WebDriver BiDi by npm's puppeteer-core (no
# geckodriver to build), and WebKitGTK, the engine of Safari, through its
# WebKitWebDriver. WebKitGTK has no headless mode, so it runs under xvfb-run
# (which needs xauth); it plays video through GStreamer: plugins-base and
# -good read MP4, libav decodes H.264.
ensure_engines() {
  apt_install firefox-esr webkit2gtk-driver xvfb xauth \
    gstreamer1.0-plugins-base gstreamer1.0-plugins-good gstreamer1.0-libav
}

# Debian's nginx: e2e/deploy.test.mjs starts it on loopback with the documented
# docs/deploy/nginx.conf and a generated main config (the package's own
# service and site are not used).
ensure_nginx() {
  apt_install nginx
}

# Debian's redis-server: the server's integration tests (server/tests) start
# their own on a free loopback port to test budgets shared by replicas (the
# package's own service is not used).
ensure_redis() {
  apt_install redis-server
}

# scripts/check-structure.py (the structure step of scripts/test).
ensure_python() {
  command -v python3 >/dev/null && return 0
  apt_install python3
}

# tools/split-wasm: cuts the release wasm into the first load and the
# parts loaded on demand (a trunk post_build hook, scripts/split-wasm.mjs).
# Reinstalled only when its sources change (a stamp of their hash next to
# the binary); the first install compiles for about 2 minutes.
ensure_split_wasm() {
  local dir="$ROOT/tools/split-wasm"
  local bin="$HOME/.cargo/bin/split-wasm"
  local want
  want="$(cat "$dir/Cargo.toml" "$dir/Cargo.lock" "$dir"/src/*.rs | sha256sum | awk '{print $1}')"
  if [ -x "$bin" ] && [ "$(cat "$bin.sha256" 2>/dev/null)" = "$want" ]; then
    return 0
  fi
  log "installing split-wasm (tools/split-wasm, about 2 minutes once)"
  # Its own target directory: the app's CARGO_TARGET_DIR holds wasm builds.
  CARGO_TARGET_DIR="$dir/target" cargo install --locked --force --path "$dir"
  echo "$want" >"$bin.sha256"
}

ensure_build_tools() {
  ensure_python
  ensure_wasm_target
  ensure_npm_tools
  ensure_wasm_bindgen
  ensure_trunk
  ensure_split_wasm
}
