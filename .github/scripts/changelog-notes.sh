#!/usr/bin/env bash
# Prints the section of CHANGELOG.md for one version (`## [0.2.0]` up to the next
# `## [` heading), without its heading: the release notes the release workflow
# publishes. Fails when the changelog has no section for the version, so a tag
# cannot be released without notes.
#
# Usage: changelog-notes.sh VERSION [CHANGELOG]
set -euo pipefail

version="${1:?usage: changelog-notes.sh VERSION [CHANGELOG]}"
version="${version#v}"
changelog="${2:-$(dirname -- "${BASH_SOURCE[0]}")/../../CHANGELOG.md}"

notes="$(awk -v want="## [$version]" '
  index($0, want) == 1 { inside = 1; next }
  inside && /^## \[/ { exit }
  inside { print }
' "$changelog")"
# Blank lines at either end go; the text between them stays as written.
notes="$(printf '%s\n' "$notes" | sed -e '/./,$!d' | sed -e ':a' -e '/^\n*$/{$d;N;ba' -e '}')"
if [[ -z ${notes//[[:space:]]/} ]]; then
  echo "changelog-notes.sh: $changelog has no section \`## [$version]\`" >&2
  exit 1
fi
printf '%s\n' "$notes"
