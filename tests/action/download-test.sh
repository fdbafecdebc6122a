#!/usr/bin/env bash
# shellcheck disable=SC2317 # cleanup is called through the EXIT trap
# The Action's download path against a real HTTP server on 127.0.0.1 holding a
# release built here by .github/scripts/release-archive.sh (the script the release
# workflow runs): the install step (.github/scripts/install-archlint.sh) is run as
# a runner runs it, then the binary it installed checks a fixture.
#
#   bash tests/action/download-test.sh DIST_DIR
#
# DIST_DIR holds archlint-TARGET.tar.gz and its .sha256 for this machine's target.
# Checks: a released ref downloads, verifies and runs the real binary (and how long
# that took from nothing to a first finding); a tampered archive, a missing or
# malformed checksum, a missing archive, and a plain-http server that is not local
# all fail with a clear message and leave no binary in the bin folder; a branch,
# a commit or a local checkout asks to build from source; a `version` input that is
# not a version is refused.
set -euo pipefail

repo="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
dist="$(cd -- "${1:?usage: download-test.sh DIST_DIR}" && pwd)"
install="$repo/.github/scripts/install-archlint.sh"
version="$(sed -n '/^\[package\]/,/^\[/{s/^version = "\(.*\)"$/\1/p;}' "$repo/Cargo.toml" | head -n 1)"
target="$(rustc -vV | sed -n 's/^host: //p')"
asset="archlint-$target.tar.gz"
[[ -f $dist/$asset && -f $dist/$asset.sha256 ]] || {
  echo "no $asset with its .sha256 in $dist" >&2
  exit 2
}
case "$target" in
  x86_64-unknown-linux-gnu) os=Linux arch=X64 ;;
  aarch64-unknown-linux-gnu) os=Linux arch=ARM64 ;;
  *)
    echo "SKIP: the test knows no runner for $target"
    exit 0
    ;;
esac

T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-download-test.XXXXXX")"
server_pid=""
cleanup() {
  if [[ -n $server_pid ]]; then kill "$server_pid" 2>/dev/null || true; fi
  rm -rf -- "$T"
}
trap cleanup EXIT

# The releases the server holds: the good one, and broken copies of it.
serve="$T/serve"
good="$serve/v$version"
mkdir -p -- "$good"
cp -- "$dist/$asset" "$dist/$asset.sha256" "$good/"
mkdir -p -- "$serve/v9.9.1" "$serve/v9.9.2" "$serve/v9.9.3" "$serve/v9.9.4"
# 9.9.1: one byte of the archive changed after its checksum was made.
cp -- "$dist/$asset" "$dist/$asset.sha256" "$serve/v9.9.1/"
printf 'X' | dd of="$serve/v9.9.1/$asset" bs=1 seek=1000 conv=notrunc status=none
# 9.9.2: no checksum published. 9.9.3: a checksum file that holds none.
cp -- "$dist/$asset" "$serve/v9.9.2/"
cp -- "$dist/$asset" "$serve/v9.9.3/"
echo "not a checksum" >"$serve/v9.9.3/$asset.sha256"
# 9.9.4: no archive for this target.

port_file="$T/port"
python3 - "$serve" "$port_file" >"$T/server.log" 2>&1 <<'PY' &
import functools, http.server, sys
handler = functools.partial(http.server.SimpleHTTPRequestHandler, directory=sys.argv[1])
server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
with open(sys.argv[2], "w") as f:
    f.write(str(server.server_address[1]))
server.serve_forever()
PY
server_pid=$!
for _ in $(seq 100); do [[ -s $port_file ]] && break; sleep 0.05; done
base="http://127.0.0.1:$(cat "$port_file")"

# shellcheck source=tests/clients/tap.sh
. "$repo/tests/clients/tap.sh"

# install NAME REF VERSION [BASE]: runs the install step in a fresh runner folder
# ($T/NAME), as a runner would, with the Action at this repository.
install() {
  local name="$1" ref="$2" input="$3" url="${4-$base}"
  local run="$T/$name"
  mkdir -p -- "$run/temp"
  : >"$run/output"
  set +e
  env -i PATH="$PATH" HOME="$HOME" \
    GITHUB_ACTION_PATH="$repo" GITHUB_OUTPUT="$run/output" RUNNER_TEMP="$run/temp" \
    RUNNER_OS="$os" RUNNER_ARCH="$arch" \
    ARCHLINT_ACTION_REF="$ref" ARCHLINT_ACTION_REPOSITORY="acme/archlint" \
    ARCHLINT_INPUT_VERSION="$input" ARCHLINT_RELEASE_BASE_URL="$url" \
    bash --noprofile --norc -eo pipefail "$install" >"$run/log" 2>&1
  echo $? >"$run/code"
  set -e
}
code() { cat "$T/$1/code"; }
log() { cat "$T/$1/log"; }
bin_of() { echo "$T/$1/temp/archlint/bin/archlint"; }
no_binary() { [[ ! -e $(bin_of "$1") ]] && ! compgen -G "$T/$1/temp/archlint-download.*" >/dev/null; }

# A released ref: download, verify, run the real binary on a fixture. Timed from
# an empty runner folder to the first finding printed.
fixture="$repo/tests/fixtures/rules/placeholder/fail/bracketed-fill-ins.md"
profile="$repo/tests/fixtures/rules/placeholder/profile.toml"
start=$(date +%s%N)
install good "v$version" ""
first=""
if [[ -x $(bin_of good) ]]; then
  first="$("$(bin_of good)" check --isolated --profile "$profile" --format short "$fixture" | head -n 1 || true)"
fi
elapsed_ms=$((($(date +%s%N) - start) / 1000000))
if [[ $(code good) == 0 && $first == *"[placeholder]"* ]]; then
  ok "v$version: downloaded, verified and ran the real binary (first finding after ${elapsed_ms} ms)"
else
  not_ok "v$version: downloaded, verified and ran the real binary" "$(log good)
first line: $first"
fi
if grep -qx 'build=false' "$T/good/output" && grep -qx "version=$version" "$T/good/output"; then
  ok "the install step tells the build steps to stay idle"
else
  not_ok "the install step tells the build steps to stay idle" "$(cat "$T/good/output")"
fi
if [[ $("$(bin_of good)" --version 2>/dev/null) == "archlint $version" ]]; then
  ok "the installed binary is archlint $version"
else
  not_ok "the installed binary is archlint $version"
fi

# The `version` input picks a release whatever the ref.
install input main "v$version"
if [[ $(code input) == 0 && -x $(bin_of input) ]]; then
  ok "the version input downloads that release from a branch ref"
else
  not_ok "the version input downloads that release from a branch ref" "$(log input)"
fi

# A moving major tag resolves through the Cargo.toml it points at.
major="v${version%%.*}"
install major "$major" ""
if [[ $(code major) == 0 && $(log major) == *"archlint $version for"* ]]; then
  ok "$major resolves to $version"
else
  not_ok "$major resolves to $version" "$(log major)"
fi

# Failures: each stops the step with a clear message and installs nothing.
fails_closed() {
  local name="$1" ref="$2" input="$3" url="$4" message="$5" what="$6"
  install "$name" "$ref" "$input" "$url"
  if [[ $(code "$name") != 0 && $(log "$name") == *"$message"* ]] && no_binary "$name"; then
    ok "$what: fails with \"$message\", nothing installed"
  else
    not_ok "$what: fails closed" "code $(code "$name")
$(log "$name")"
  fi
}
fails_closed tampered main 9.9.1 "$base" "SHA-256 mismatch" "a tampered archive"
fails_closed nosum main 9.9.2 "$base" "refusing to install an archive that cannot be verified" \
  "a release without a checksum"
fails_closed badsum main 9.9.3 "$base" "holds no SHA-256" "a checksum file that holds none"
fails_closed noasset main 9.9.4 "$base" "could not download" "a release without this target"
fails_closed plain main "$version" "http://example.com/releases" "refusing to download" \
  "a plain-http server that is not local"
fails_closed badinput main "1.0; rm -rf /" "$base" "is not a version" "a version input that is not one"

# Not a release: build from source, and say so.
for ref in main 0123456789abcdef0123456789abcdef01234567 ""; do
  install build "$ref" ""
  if [[ $(code build) == 0 ]] && grep -qx 'build=true' "$T/build/output" &&
    [[ $(log build) == *"building archlint from source"* ]] && no_binary build; then
    ok "ref \`${ref:-(local checkout)}\` builds from source and says so"
  else
    not_ok "ref \`${ref:-(local checkout)}\` builds from source" "$(log build)"
  fi
  rm -rf -- "$T/build"
done

# cargo-binstall reads Cargo.toml's [package.metadata.binstall]: the URL and the
# path inside the archive it makes for this target must be the asset above and the
# binary in it.
binstall="$(python3 - "$repo/Cargo.toml" "$target" "$dist/$asset" <<'PY'
import sys, tarfile, tomllib
meta = tomllib.load(open(sys.argv[1], "rb"))
pkg, target, archive = meta["package"], sys.argv[2], sys.argv[3]
b = pkg["metadata"]["binstall"]
b.update(b.get("overrides", {}).get(target, {}))
suffix = {"tgz": ".tar.gz", "zip": ".zip"}[b["pkg-fmt"]]
values = {"repo": pkg["repository"], "version": pkg["version"], "target": target,
          "archive-suffix": suffix, "bin": "archlint", "binary-ext": ""}
def fill(t):
    for k, v in values.items():
        t = t.replace("{ %s }" % k, v)
    return t
url, bin_dir = fill(b["pkg-url"]), fill(b["bin-dir"])
names = tarfile.open(archive).getnames()
print(url if bin_dir in names else "missing " + bin_dir)
PY
)"
if [[ $binstall == */releases/download/v$version/$asset ]]; then
  ok "cargo-binstall's metadata names this release's asset and the binary inside it"
else
  not_ok "cargo-binstall's metadata names this release's asset" "$binstall"
fi

finish
