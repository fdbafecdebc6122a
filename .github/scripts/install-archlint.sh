#!/usr/bin/env bash
# The Action's install step: download the released archlint that matches the
# Action's ref (or its `version` input), verify its SHA-256, and put it in
# $RUNNER_TEMP/archlint/bin; or say that this ref is no release and must be built
# from source (`build=true` in $GITHUB_OUTPUT, for the Action's build steps).
#
# Which release:
#   - the `version` input (ARCHLINT_INPUT_VERSION), `1.2.3` or `v1.2.3`;
#   - else the Action's ref (ARCHLINT_ACTION_REF) when it is a version tag: `v1.2.3`
#     is that release, and `v1` or `v1.2` the version in the Cargo.toml the tag
#     points at (which must agree with the tag);
#   - else (a branch, a commit, `uses: ./`): none, so build from source.
#
# Where from: https://github.com/OWNER/REPO/releases/download/vVERSION/ for the
# repository the Action was loaded from (ARCHLINT_ACTION_REPOSITORY). The
# environment variable ARCHLINT_RELEASE_BASE_URL replaces that base, for tests
# against a local server; it is not an input, and plain http is accepted only for
# 127.0.0.1 and localhost.
#
# A download is installed only once its checksum has been fetched and matches:
# a missing or malformed checksum, a mismatch, or a failed download stops the step
# with an error and leaves nothing in the bin folder.
set -euo pipefail

say() { printf 'archlint: %s\n' "$*"; }
fail() {
  printf '::error title=archlint install::%s\n' "$*"
  exit 1
}
output() { printf '%s=%s\n' "$1" "$2" >>"${GITHUB_OUTPUT:-/dev/null}"; }

action_path="${GITHUB_ACTION_PATH:?GITHUB_ACTION_PATH is not set}"
bin_dir="${RUNNER_TEMP:?RUNNER_TEMP is not set}/archlint/bin"
semver='^[0-9]+\.[0-9]+\.[0-9]+(-[0-9A-Za-z.]+)?$'

# The version the Action's own Cargo.toml declares.
own_version() {
  sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p;}' "$action_path/Cargo.toml" | head -n 1
}

build() {
  say "$1: building archlint from source (a few minutes; a released ref downloads in seconds)"
  output build true
  exit 0
}

version="${ARCHLINT_INPUT_VERSION:-}"
ref="${ARCHLINT_ACTION_REF:-}"
if [[ -n $version ]]; then
  version="${version#v}"
  [[ $version =~ $semver ]] || fail "the \`version\` input \`$version\` is not a version such as 1.2.3"
elif [[ $ref =~ ^v[0-9]+(\.[0-9]+){0,2}$ ]]; then
  version="$(own_version)"
  [[ $version =~ $semver ]] || build "Cargo.toml at $ref declares no version"
  case "$version." in
    "${ref#v}".*) ;;
    *) build "the tag $ref points at version $version, which is not a $ref release" ;;
  esac
elif [[ -z $ref ]]; then
  build "the Action runs from a local checkout"
else
  build "the Action runs from \`$ref\`, which is not a release tag"
fi

case "${RUNNER_OS:-}/${RUNNER_ARCH:-}" in
  Linux/X64) arch=x86_64 ;;
  Linux/ARM64) arch=aarch64 ;;
  macOS/X64) target=x86_64-apple-darwin ;;
  macOS/ARM64) target=aarch64-apple-darwin ;;
  Windows/X64) target=x86_64-pc-windows-msvc ;;
  *) build "no release is built for ${RUNNER_OS:-this OS} on ${RUNNER_ARCH:-this architecture}" ;;
esac
if [[ ${RUNNER_OS:-} == Linux ]]; then
  # glibc on GitHub's images; a musl system (Alpine containers) gets the static build.
  libc=gnu
  if compgen -G '/lib/ld-musl-*' >/dev/null; then libc=musl; fi
  target="$arch-unknown-linux-$libc"
fi
asset="archlint-$target.tar.gz"
if [[ $target == *windows* ]]; then asset="archlint-$target.zip"; fi

base="${ARCHLINT_RELEASE_BASE_URL:-}"
if [[ -z $base ]]; then
  repo="${ARCHLINT_ACTION_REPOSITORY:-}"
  [[ $repo =~ ^[A-Za-z0-9_.-]+/[A-Za-z0-9_.-]+$ ]] ||
    fail "cannot tell which repository the Action came from (\`$repo\`); set the \`version\` input only with a released Action"
  base="https://github.com/$repo/releases/download"
fi
case "$base" in
  https://*) ;;
  http://127.0.0.1[:/]* | http://localhost[:/]*) ;;
  *) fail "refusing to download from \`$base\`: only https (or http on 127.0.0.1 for tests)" ;;
esac
url="${base%/}/v$version/$asset"

work="$(mktemp -d "${RUNNER_TEMP}/archlint-download.XXXXXX")"
trap 'rm -rf -- "$work"' EXIT
fetch() {
  curl --fail --silent --show-error --location --retry 3 --retry-delay 2 \
    --proto '=https,http' --max-time 120 --output "$2" -- "$1"
}
say "downloading archlint $version for $target from $url"
fetch "$url" "$work/$asset" || fail "could not download $url"
fetch "$url.sha256" "$work/$asset.sha256" ||
  fail "could not download $url.sha256: refusing to install an archive that cannot be verified"

expected="$(head -c 200 -- "$work/$asset.sha256" | awk 'NR == 1 { print tolower($1) }')"
[[ $expected =~ ^[0-9a-f]{64}$ ]] ||
  fail "$url.sha256 holds no SHA-256: refusing to install an archive that cannot be verified"
if command -v sha256sum >/dev/null 2>&1; then
  actual="$(sha256sum -- "$work/$asset" | cut -d' ' -f1)"
else
  actual="$(shasum -a 256 -- "$work/$asset" | cut -d' ' -f1)"
fi
[[ $actual == "$expected" ]] ||
  fail "SHA-256 mismatch for $asset: expected $expected, got $actual; refusing to install it"
say "verified SHA-256 $actual"

mkdir -- "$work/unpacked"
if [[ $asset == *.zip ]]; then
  if command -v unzip >/dev/null 2>&1; then
    unzip -q -- "$work/$asset" -d "$work/unpacked"
  else
    7z x -bd -o"$work/unpacked" -- "$work/$asset" >/dev/null
  fi
  exe=archlint.exe
else
  tar -xzf "$work/$asset" -C "$work/unpacked"
  exe=archlint
fi
binary="$work/unpacked/archlint-$target/$exe"
[[ -f $binary && ! -L $binary ]] || fail "$asset holds no archlint-$target/$exe"
mkdir -p -- "$bin_dir"
chmod +x -- "$binary"
mv -f -- "$binary" "$bin_dir/$exe"
say "installed $("$bin_dir/$exe" --version) in $bin_dir"
output build false
output version "$version"
