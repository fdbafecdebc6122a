#!/usr/bin/env bash
# shellcheck disable=SC2317 # the predicates below are called through check()
# The PyPI channel, end to end with the real tools: maturin (from PyPI) builds the
# wheel for this machine from pyproject.toml; pip installs it into a fresh venv,
# whose `archlint` then reports its version and checks a fixture; and real
# pre-commit installs the mirror's `language: python` hook (pre-commit-mirror/)
# from that wheel, with no Rust toolchain on PATH, and runs it on a fixture
# repository.
#
# Usage: tests/clients/python-package.sh [WHEEL_DIR]
#
# The wheel is written to WHEEL_DIR (default: a temporary folder). pip reads no
# index for archlint itself: the venv and pre-commit install the wheel built here
# (PIP_FIND_LINKS, PIP_NO_INDEX), so a package of the same name on PyPI cannot
# stand in for it. Needs python3 with venv and PyPI for maturin, pre-commit and
# setuptools; without them it prints "SKIP: ..." and exits 0.
set -euo pipefail

checkout="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-python-package-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT
wheels="${1:-$T/wheels}"
mkdir -p -- "$wheels"
wheels="$(cd -- "$wheels" && pwd)"

# shellcheck source=tests/clients/tap.sh
. "$checkout/tests/clients/tap.sh"

# --- the tools, from PyPI -------------------------------------------------------------
export PIP_DISABLE_PIP_VERSION_CHECK=1
tools="$T/tools"
if ! err="$(python3 -m venv "$tools" 2>&1)"; then
  echo "SKIP: python3 -m venv failed: ${err##*$'\n'}"
  exit 0
fi
if ! err="$("$tools/bin/pip" install --quiet --retries 1 --timeout 30 'maturin>=1.7,<2' pre-commit 2>&1)"; then
  echo "SKIP: maturin and pre-commit could not be installed from PyPI: ${err##*$'\n'}"
  exit 0
fi
# The build backend of the mirror package, for pip's isolated build without an index.
"$tools/bin/pip" download --quiet --dest "$T/setuptools" 'setuptools>=61' >/dev/null
echo "# $("$tools/bin/maturin" --version), $("$tools/bin/pre-commit" --version)"

version="$(sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p;}' "$checkout/Cargo.toml" | head -n 1)"

# --- the wheel ---------------------------------------------------------------------------
out="$T/out"
build_wheel() {
  (cd -- "$checkout" && "$tools/bin/maturin" build --release --locked --out "$wheels") >"$out" 2>&1
}
check "maturin builds the wheel from pyproject.toml" "$out" build_wheel
wheel="$(compgen -G "$wheels/archlint-$version-py3-none-*.whl" | head -n 1 || true)"
check "the wheel is archlint $version for any Python 3 on this platform" /dev/null test -n "$wheel"
[[ -n $wheel ]] || finish

bin_only() {
  python3 - "$wheel" >"$out" 2>&1 <<'PY'
import sys, zipfile
names = zipfile.ZipFile(sys.argv[1]).namelist()
print("\n".join(names))
scripts = [n for n in names if ".data/scripts/" in n]
assert scripts and all(n.endswith("/archlint") for n in scripts), scripts
assert not [n for n in names if n.endswith(".py") or n.endswith(".so")], names
PY
}
check "the wheel holds the archlint binary as a script, and no Python code" "$out" bin_only

# --- pip install into a fresh venv ------------------------------------------------------
export PIP_FIND_LINKS="$wheels $T/setuptools" PIP_NO_INDEX=1
python3 -m venv "$T/venv"
check "pip installs the wheel into a fresh venv without an index" "$out" \
  "$T/venv/bin/pip" install --quiet "archlint==$version"
says_version() {
  [[ "$(PATH="$T/venv/bin:/usr/bin:/bin" archlint --version 2>"$out")" == "archlint $version" ]]
}
check "the venv's archlint is on its PATH and says archlint $version" "$out" says_version
fixture="$checkout/tests/fixtures/rules/placeholder/fail/bracketed-fill-ins.md"
profile="$checkout/tests/fixtures/rules/placeholder/profile.toml"
checks_fixture() {
  local code=0
  "$T/venv/bin/archlint" check --isolated --profile "$profile" --format short "$fixture" >"$out" 2>&1 ||
    code=$?
  [[ $code == 1 ]] && grep -q '^.*bracketed-fill-ins.md:[0-9]*:[0-9]*: .*\[placeholder\]$' "$out"
}
check "the venv's archlint checks a fixture: placeholder findings, exit 1" "$out" checks_fixture

# --- pre-commit's python hook, from the mirror, with no cargo on PATH ---------------------
pinned() { grep -q "\"archlint==$version\"" "$checkout/pre-commit-mirror/pyproject.toml"; }
check "the mirror pins archlint $version, Cargo.toml's version" /dev/null pinned

export GIT_CONFIG_GLOBAL=/dev/null GIT_CONFIG_NOSYSTEM=1
export PRE_COMMIT_HOME="$T/pre-commit-home"
unset PRE_COMMIT_COLOR SKIP CLICOLOR_FORCE NO_COLOR ARCHLINT_CONFIG || true
commit() {
  GIT_AUTHOR_DATE='2000-01-01T00:00:00Z' GIT_COMMITTER_DATE='2000-01-01T00:00:00Z' \
    git -C "$1" -c user.name=archlint-test -c user.email=test@archlint.invalid \
    commit --quiet --no-verify -m "$2"
}
mirror="$T/mirror"
cp -r -- "$checkout/pre-commit-mirror" "$mirror"
git -C "$mirror" init --quiet
git -C "$mirror" add -A
commit "$mirror" "mirror at archlint $version"

P="$T/project"
mkdir -p -- "$P"
git -C "$P" init --quiet
cat >"$P/.pre-commit-config.yaml" <<EOF
repos:
  - repo: $mirror
    rev: $(git -C "$mirror" rev-parse HEAD)
    hooks:
      - id: archlint
EOF
# A document with a placeholder left in: the hook must fail on it.
cp -- "$checkout/tests/fixtures/rules/placeholder/fail/bracketed-fill-ins.md" "$P/ARCHITECTURE.md"
printf 'profile = "core"\n' >"$P/archlint.toml"
git -C "$P" add -A
# Only python3, git and the tools venv: no cargo or rustc can build anything.
no_rust_path="$tools/bin:/usr/bin:/bin"
hook_fails() {
  local code=0
  (cd -- "$P" && PATH="$no_rust_path" "$tools/bin/pre-commit" run --all-files --color never) \
    >"$out" 2>&1 || code=$?
  [[ $code == 1 ]] && grep -q '\[placeholder\]$' "$out" && ! grep -qi 'cargo' "$out"
}
check "pre-commit installs the python hook from the wheel and it fails on a placeholder" "$out" hook_fails
hook_env_has_archlint() { compgen -G "$PRE_COMMIT_HOME/repo*/py_env-*/bin/archlint" >/dev/null; }
check "the hook's environment holds the wheel's archlint binary" /dev/null hook_env_has_archlint

finish
