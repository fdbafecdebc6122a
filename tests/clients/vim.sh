#!/usr/bin/env bash
# shellcheck disable=SC2317 # the predicates below are called through check()
# Tests editors/vim/compiler/archlint.vim with real Vim (and Neovim when it is
# installed): archlint's short-format columns count characters, and the cursor
# must land on the finding's first character in lines with accented, CJK, emoji,
# astral, decomposed (combining) and tab characters before it.
#
# Usage: tests/clients/vim.sh ARCHLINT_BINARY
#
#   ARCHLINT_VIM_RUNTIME   the runtime folder holding compiler/archlint.vim
#                          (default: editors/vim of this checkout)
#
# Installs vim-nox with apt-get when no Vim with +eval and +quickfix is found; if
# that fails it prints "SKIP: ..." and exits 0. Prints `ok - ...` / `not ok - ...`
# lines and a final `N passed, N failed`; exits 1 if anything failed.
set -euo pipefail

if [[ $# -ne 1 ]]; then
  echo "usage: $0 ARCHLINT_BINARY" >&2
  exit 2
fi
if [[ ! -x "$1" ]]; then
  echo "$0: not an executable file: $1" >&2
  exit 2
fi
bin="$(cd -- "$(dirname -- "$1")" && pwd)/$(basename -- "$1")"
checkout="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")/../.." && pwd)"
runtime="$(cd -- "${ARCHLINT_VIM_RUNTIME:-$checkout/editors/vim}" && pwd)"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-vim-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT

# shellcheck source=tests/clients/tap.sh
. "$checkout/tests/clients/tap.sh"

# --- Vim ---------------------------------------------------------------------------
usable_vim() { command -v vim >/dev/null && vim --version | grep -q '+eval' && vim --version | grep -q '+quickfix'; }
if ! usable_vim; then
  reason="no vim with +eval and +quickfix on PATH"
  if [[ $(id -u) -eq 0 ]] && command -v apt-get >/dev/null; then
    export DEBIAN_FRONTEND=noninteractive
    if ! apt-get install -y -q vim-nox >"$T/apt.log" 2>&1; then
      apt-get update -q >>"$T/apt.log" 2>&1 || true
      apt-get install -y -q vim-nox >>"$T/apt.log" 2>&1 || true
    fi
    usable_vim || reason="$reason, and apt-get install vim-nox failed: $(tail -n 1 "$T/apt.log")"
  else
    reason="$reason, and apt-get cannot be used (not root, or no apt-get)"
  fi
  if ! usable_vim; then
    echo "SKIP: $reason"
    exit 0
  fi
fi
editors=(vim)
if command -v nvim >/dev/null; then
  editors+=(nvim)
else
  echo "# Neovim not found (nvim): only Vim is tested"
fi
echo "# $(vim --version | head -n 1)"
if command -v nvim >/dev/null; then echo "# $(nvim --version | head -n 1)"; fi
echo "# $("$bin" --version); compiler plugin from $runtime"

# --- the fixture -------------------------------------------------------------------
# Each placeholder follows text whose characters are wider than one byte (É, —,
# CJK), astral (🚀, 𝒜, 😀: four bytes, two UTF-16 units), composing (U+0301 after
# e, U+FE0F after ❤: separate characters for archlint), or a tab (one byte, one
# character, several screen cells). The last one has only ASCII before it.
F="$T/project"
mkdir -p "$F" "$T/bin"
ln -s "$bin" "$T/bin/archlint"
export PATH="$T/bin:$PATH"
printf '%s\n' \
  '# Architecture' \
  '' \
  '## Overview' \
  '' \
  'Équipe propriétaire — 🚀 owned by [Team Name].' \
  '' \
  '负责团队：[Team Name]' \
  '' \
  '## System Architecture' \
  '' \
  $'Owner:\t[Owner Name], after a tab.' \
  '' \
  '## Components' \
  '' \
  '𝒜𝓇𝒸𝒽 ledger (astral letters) by [Team Name] and 😀 [Owner Name].' \
  '' \
  '## Data Flow' \
  '' \
  $'Cafe\u0301 ❤\ufe0f ümlaut: [Team Name]' \
  '' \
  '## Design Decisions' \
  '' \
  'Plain ASCII first: [Team Name]' \
  '' \
  '## Security' \
  '' \
  'Only the owner reads the database file.' \
  '' \
  '## Deployment' \
  '' \
  'One static binary.' \
  '' \
  '## Future Considerations' \
  '' \
  'Sharing one budget between two laptops.' >"$F/ARCHITECTURE.md"

out="$T/archlint.out"
rc=0
(cd "$F" && "$bin" check --format short --color never) >"$out" 2>&1 || rc=$?
echo "# archlint check --format short (exit $rc):"
sed 's/^/#   /' "$out"
short_re='^.+:[0-9]+:[0-9]+: (error|warning): .+ \[[a-z0-9-]+\]$'
mapfile -t findings < <(grep -E -- "$short_re" "$out" || true)
n=${#findings[@]}
# Per finding: its line, and the text it is about (the placeholder in `...`).
want_line=()
want_text=()
for f in "${findings[@]}"; do
  rest="${f#*:}"
  want_line+=("${rest%%:*}")
  text="${f#*\`}"
  want_text+=("${text%%\`*}")
done
fixture_ok() { [[ $rc -eq 1 && $n -eq 7 ]] && ! grep -qv "placeholder" <(printf '%s\n' "${findings[@]}"); }
check "the fixture has 7 findings, all placeholders" "$out" fixture_ok

# --- the probe: load the output into the editor, then visit every entry -----------
cat >"$T/probe.vim" <<'VIM'
" g:probe_setup: plugin | plugin! | old | virtual | other;
" g:probe_load: how the list is made.
set nomore
let s:rows = []
function! s:Here(tag) abort
  call add(s:rows, join([a:tag, line('.'), col('.'), strpart(getline('.'), col('.') - 1)], "\x1f"))
endfunction
try
  if g:probe_load ==# 'loaded'
    " the document is open when the user runs :compiler and reads the list
    edit ARCHITECTURE.md
  endif
  if g:probe_setup ==# 'plugin'
    execute 'set runtimepath^=' . fnameescape(g:probe_runtime)
    compiler archlint
  elseif g:probe_setup ==# 'plugin!'
    " :cexpr and :cbuffer parse with the global 'errorformat'
    execute 'set runtimepath^=' . fnameescape(g:probe_runtime)
    compiler! archlint
  elseif g:probe_setup ==# 'old'
    " docs/editors.md before this change: plain %c, read as a byte index
    let &errorformat = '%f:%l:%c: %trror: %m,%f:%l:%c: %tarning: %m,%-G%.%#'
  elseif g:probe_setup ==# 'virtual'
    let &errorformat = '%f:%l:%v: %trror: %m,%f:%l:%v: %tarning: %m,%-G%.%#'
  elseif g:probe_setup ==# 'other'
    " the plugin is loaded, but this list is parsed with another errorformat
    execute 'set runtimepath^=' . fnameescape(g:probe_runtime)
    compiler archlint
    let &l:errorformat = '%f:%l:%c: %m'
  endif
  let s:out = fnameescape(g:probe_out)
  let s:loc = 0
  if g:probe_load ==# 'cgetfile'
    execute 'cgetfile' s:out
  elseif g:probe_load ==# 'loaded'
    execute 'cgetfile' s:out
  elseif g:probe_load ==# 'cfile'
    execute 'cfile' s:out
    call s:Here('jump')
  elseif g:probe_load ==# 'cexpr'
    cexpr readfile(g:probe_out)
    call s:Here('jump')
  elseif g:probe_load ==# 'cgetbuffer'
    let s:buf = bufnr(g:probe_out, 1)
    call bufload(s:buf)
    execute 'cgetbuffer' s:buf
  elseif g:probe_load ==# 'make'
    silent make
    call s:Here('jump')
  elseif g:probe_load ==# 'lgetfile'
    execute 'lgetfile' s:out
    let s:loc = 1
  elseif g:probe_load ==# 'caddfile'
    execute 'cgetfile' s:out
    execute 'caddfile' s:out
  endif
  let s:n = s:loc ? len(getloclist(0)) : len(getqflist())
  call add(s:rows, "count\x1f" . s:n)
  for s:i in range(1, s:n)
    execute (s:loc ? 'll ' : 'cc ') . s:i
    call s:Here('entry')
  endfor
catch
  call add(s:rows, 'error ' . v:exception . ' at ' . v:throwpoint)
endtry
call writefile(s:rows, g:probe_result)
qa!
VIM

# probe EDITOR SETUP LOAD: runs the probe; its rows are in $T/rows, and the
# editor's own output, if any, in $T/editor.log.
probe() {
  local editor="$1" setup="$2" load="$3"
  local -a args
  rm -f -- "$T/rows"
  case "$editor" in
    vim) args=(vim -es -N -u NONE -i NONE -n --cmd 'set encoding=utf-8') ;;
    nvim) args=(nvim --headless -u NONE -i NONE -n) ;;
  esac
  (cd "$F" && timeout 60 "${args[@]}" \
    --cmd "let g:probe_setup = '$setup' | let g:probe_load = '$load'" \
    --cmd "let g:probe_runtime = '$runtime' | let g:probe_out = '$out'" \
    --cmd "let g:probe_result = '$T/rows'" \
    -S "$T/probe.vim") >"$T/editor.log" 2>&1 </dev/null || true
  if [[ ! -f "$T/rows" ]]; then
    echo "error: the editor wrote no result" >"$T/rows"
    cat "$T/editor.log" >>"$T/rows"
  fi
}

# landed ROW I: the row (tag, line, col, text) is on finding I's line and its
# text starts with finding I's placeholder.
landed() {
  local line text
  IFS=$'\x1f' read -r _ line _ text <<<"$1"
  [[ "$line" == "${want_line[$2]}" && "$text" == "${want_text[$2]}"* ]]
}
# all_landed COPIES: COPIES x n entries, entry k on finding (k-1) mod n, and the
# jump (if any) on the first finding.
all_landed() {
  local copies="$1" k=0 row
  grep -aqx "count"$'\x1f'"$((copies * n))" "$T/rows" || return 1
  if grep -aq '^jump' "$T/rows"; then
    landed "$(grep -a '^jump' "$T/rows")" 0 || return 1
  fi
  while IFS= read -r row; do
    landed "$row" $((k % n)) || return 1
    k=$((k + 1))
  done < <(grep -a '^entry' "$T/rows")
  [[ $k -eq $((copies * n)) ]]
}
# wrong_on: how many of the n entries do not land on their placeholder.
wrong_on() {
  local k=0 wrong=0 row
  while IFS= read -r row; do
    landed "$row" "$k" || wrong=$((wrong + 1))
    k=$((k + 1))
  done < <(grep -a '^entry' "$T/rows")
  echo "$wrong"
}
# Finding I as the editor sees it: a short label for the test names.
rows_as_columns() { grep -a '^entry' "$T/rows" | cut -d $'\x1f' -f 3 | paste -sd, -; }

for editor in "${editors[@]}"; do
  for load in cgetfile loaded cfile make lgetfile cexpr cgetbuffer; do
    setup=plugin
    case "$load" in
      cgetfile) what=":cgetfile (files not loaded: columns from the file on disk)" ;;
      loaded) what=":cgetfile with the document loaded (columns from the buffer)" ;;
      cfile) what=":cfile, which jumps to the first finding" ;;
      cexpr) setup=plugin! what=":cexpr readfile(...)" ;;
      cgetbuffer) setup=plugin! what=":cgetbuffer" ;;
      make) what=":make, running archlint through 'makeprg'" ;;
      lgetfile) what=":lgetfile (a location list)" ;;
    esac
    probe "$editor" "$setup" "$load"
    check "$editor, compiler$([[ $setup == plugin! ]] && echo '!') archlint, $what: the cursor lands on each of the $n placeholders (byte columns $(rows_as_columns))" \
      "$T/rows" all_landed 1
  done
  probe "$editor" plugin caddfile
  check "$editor, compiler archlint, :cgetfile then :caddfile: $((2 * n)) entries, each converted once" \
    "$T/rows" all_landed 2
  probe "$editor" other cgetfile
  check "$editor, a list parsed with another 'errorformat' is left alone (column 34 stays 34)" \
    "$T/rows" grep -aq $'^entry\x1f5\x1f34\x1f' "$T/rows"
  # Controls: the errorformats the plugin replaces land wrong on the same file.
  probe "$editor" old cgetfile
  wrong="$(wrong_on)"
  check "$editor, control: the old errorformat (plain %c) lands wrong on $wrong of $n entries, right only after ASCII and a tab (byte columns $(rows_as_columns))" \
    "$T/rows" test "$wrong" -eq $((n - 2))
  probe "$editor" virtual cgetfile
  wrong="$(wrong_on)"
  check "$editor, control: %v (screen columns) lands wrong on $wrong of $n entries, right only after one-cell characters (byte columns $(rows_as_columns))" \
    "$T/rows" test "$wrong" -eq $((n - 2))
done

finish
