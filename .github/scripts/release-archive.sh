#!/usr/bin/env bash
# Builds archlint for one target and packs the release asset that people, the
# Action and cargo-binstall download:
#
#   OUT_DIR/archlint-TARGET.tar.gz   (.zip for Windows), holding
#       archlint-TARGET/archlint[.exe], README.md, CHANGELOG.md, LICENSE-MIT,
#       LICENSE-APACHE
#   OUT_DIR/archlint-TARGET.tar.gz.sha256   "<hex>  <asset name>", as
#       `sha256sum -c` reads it
#
# Usage: release-archive.sh TARGET OUT_DIR
#
# The release workflow runs it on a native runner for each target; `.ci/run` runs
# it for this machine's target, where the build reuses target/release.
set -euo pipefail

target="${1:?usage: release-archive.sh TARGET OUT_DIR}"
out="${2:?usage: release-archive.sh TARGET OUT_DIR}"
cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.."

if [[ ! $target =~ ^[a-z0-9_]+(-[a-z0-9_]+){2,3}$ ]]; then
  echo "release-archive.sh: \`$target\` is not a target triple" >&2
  exit 2
fi

host="$(rustc -vV | sed -n 's/^host: //p')"
exe=""
if [[ $target == *windows* ]]; then exe=".exe"; fi
# The host's own target builds into target/release, which a plain release build
# (CI's, or a developer's) already holds; another target into target/TARGET/release.
if [[ $target == "$host" ]]; then
  cargo build --release --locked
  binary="target/release/archlint$exe"
else
  cargo build --release --locked --target "$target"
  binary="target/$target/release/archlint$exe"
fi

name="archlint-$target"
mkdir -p -- "$out"
out="$(cd -- "$out" && pwd)"
stage="$(mktemp -d)"
trap 'rm -rf -- "$stage"' EXIT
mkdir -- "$stage/$name"
cp -- "$binary" README.md CHANGELOG.md LICENSE-MIT LICENSE-APACHE "$stage/$name/"

if [[ $target == *windows* ]]; then
  asset="$name.zip"
  rm -f -- "$out/$asset"
  if command -v 7z >/dev/null 2>&1; then
    (cd -- "$stage" && 7z a -tzip -bd "$out/$asset" "$name" >/dev/null)
  else
    (cd -- "$stage" && zip -qr "$out/$asset" "$name")
  fi
else
  asset="$name.tar.gz"
  (cd -- "$stage" && tar -czf "$out/$asset" "$name")
fi

sha256() {
  if command -v sha256sum >/dev/null 2>&1; then
    sha256sum -- "$1" | cut -d' ' -f1
  else
    shasum -a 256 -- "$1" | cut -d' ' -f1
  fi
}
printf '%s  %s\n' "$(sha256 "$out/$asset")" "$asset" >"$out/$asset.sha256"
echo "$out/$asset"
