#!/usr/bin/env bash
# Sets up a machine for matcalc (idempotent), then optionally runs one `deno task`.
#
#   bash kernel/setup.sh                # set up only
#   bash kernel/setup.sh notebooks      # set up, then execute every notebook (the main job)
#   bash kernel/setup.sh test:all       # set up (with Chromium), then run every test
#
# Installs only what is missing: Deno (npm package deno@2.9.6), Jupyter (nbconvert, nbclient,
# the classic notebook server), OpenBLAS (libopenblas0-pthread, for the native backend) and, for
# the browser tests, Chromium. Jupyter and Chromium come from
# apt when running as root on Debian; anywhere else this prints the exact command and stops.
# Then fetches the npm dependencies (`deno install`) and registers the Deno Jupyter kernel.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

DENO_VERSION=2.9.6
log() { echo "setup: $*" >&2; }
die() {
  echo "setup: error: $*" >&2
  exit 1
}

task="${1:-}"
need_browser=0
case "$task" in
  test:all | e2e) need_browser=1 ;;
esac

# --- Deno -------------------------------------------------------------------------------------
deno_works() { command -v deno >/dev/null 2>&1 && deno --version >/dev/null 2>&1; }

# npm's global bin is not always on PATH (e.g. a user-level npm prefix).
if ! deno_works && command -v npm >/dev/null 2>&1; then
  PATH="$(npm prefix -g)/bin:$PATH"
  export PATH
fi
if ! deno_works; then
  command -v npm >/dev/null 2>&1 || die "neither deno nor npm found; install Node.js (with npm), then: npm install -g deno@$DENO_VERSION"
  log "installing Deno: npm install -g deno@$DENO_VERSION"
  npm install -g --no-fund --no-audit "deno@$DENO_VERSION" >&2 ||
    die "npm install -g deno@$DENO_VERSION failed (as a non-root user, set a user prefix first: npm config set prefix ~/.npm-global)"
  PATH="$(npm prefix -g)/bin:$PATH"
  hash -r
  if ! deno_works; then
    # npm 11 skips install scripts unless allowed; deno's postinstall links the binary.
    log "deno did not start; retrying with its install script allowed"
    npm install -g --no-fund --no-audit --allow-scripts=deno "deno@$DENO_VERSION" >&2
    hash -r
  fi
  deno_works || die "deno still does not run after npm install -g deno@$DENO_VERSION"
fi
have_deno="$(deno --version | head -n 1)"
case "$have_deno" in
  "deno $DENO_VERSION "*) ;;
  "deno 2."*) log "warning: found $have_deno; matcalc is tested with deno $DENO_VERSION" ;;
  *) die "found $have_deno; matcalc needs Deno 2 (npm install -g deno@$DENO_VERSION)" ;;
esac
log "$have_deno at $(command -v deno)"

# --- Jupyter and Chromium (Debian packages) ----------------------------------------------------
# On Debian the packages are checked with dpkg; elsewhere the commands they provide.
pkg_present() { # pkg command
  if command -v dpkg-query >/dev/null 2>&1; then
    dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"
  else
    command -v "$2" >/dev/null 2>&1
  fi
}
missing=()
pkg_present jupyter-nbconvert jupyter-nbconvert || missing+=(jupyter-nbconvert)
pkg_present python3-nbclient jupyter-execute || missing+=(python3-nbclient)
pkg_present jupyter-notebook jupyter-notebook || missing+=(jupyter-notebook)
pkg_present jupyter-client jupyter-kernelspec || missing+=(jupyter-client)
if [ "$need_browser" = 1 ]; then
  pkg_present chromium chromium || missing+=(chromium)
fi
if [ "${#missing[@]}" -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing with apt-get: ${missing[*]}"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq "${missing[@]}" >&2
  else
    echo "setup: missing: ${missing[*]}" >&2
    echo "setup: on Debian/Ubuntu run:  sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    echo "setup: elsewhere: python3 -m pip install 'notebook<7' nbconvert nbclient  (and Chromium at /usr/bin/chromium, or set CHROMIUM=/path/to/chromium)" >&2
    echo "setup: then run this command again." >&2
    exit 1
  fi
fi
command -v jupyter >/dev/null 2>&1 || die "jupyter is not on PATH after installing it"

# --- OpenBLAS (optional: the native backend) -------------------------------------------------
# matcalc runs products and linear algebra on BLAS + LAPACK through Deno's FFI when a library
# loads, else on its own WebAssembly kernel (2-3x slower for large products). Debian's
# libopenblas0-pthread provides both; any libopenblas0 variant does.
blas_status="$(dpkg-query -W -f='${Status}\n' 'libopenblas0*' 2>/dev/null || true)"
if command -v dpkg-query >/dev/null 2>&1 && ! grep -q "install ok installed" <<<"$blas_status"; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    log "installing with apt-get: libopenblas0-pthread (BLAS + LAPACK for the native backend)"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq >&2
    apt-get install -y -qq libopenblas0-pthread >&2
  else
    log "note: OpenBLAS is missing, so matcalc will use its WebAssembly kernel (2-3x slower for large products); for the native backend run:  sudo apt-get install -y libopenblas0-pthread"
  fi
fi

# --- npm dependencies and the Deno kernel ----------------------------------------------------
log "deno install (npm dependencies into node_modules/)"
deno install >&2
if [ -f kernel/install.ts ]; then
  deno task kernel:install >&2
else
  deno jupyter --install --force >&2
fi
log "ready"

if [ -n "$task" ]; then
  shift
  # The browser test checks the executed notebooks' HTML pages, which a fresh clone has not
  # written yet.
  if [ "$task" = "e2e" ] && ! ls out/notebooks/*.html >/dev/null 2>&1; then
    log "no executed notebooks yet: running deno task notebooks first"
    deno task notebooks >&2
  fi
  exec deno task "$task" "$@"
fi
