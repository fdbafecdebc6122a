#!/usr/bin/env bash
# `archlint server` under two real clients:
#   - pytest-lsp (PyPI), which drives the server as an editor does
#     (tests/clients/lsp/test_server.py: diagnostics with UTF-16 ranges, an edit, a
#     quick fix applied, hover, a broken configuration);
#   - Neovim's built-in LSP client, headless, asserting on vim.diagnostic.get() and
#     on the quick fix the server offers.
#
# Usage: tests/clients/lsp.sh ARCHLINT_BINARY
#
# Needs python3 with venv and PyPI for pytest-lsp, and nvim for the second part;
# says SKIP for what it cannot run. Exits 1 if anything failed.
set -euo pipefail

bin="$(cd -- "$(dirname -- "${1:?usage: lsp.sh ARCHLINT_BINARY}")" && pwd)/$(basename -- "$1")"
here="$(cd -- "$(dirname -- "${BASH_SOURCE[0]}")" && pwd)"
T="$(mktemp -d "${TMPDIR:-/tmp}/archlint-lsp-test.XXXXXX")"
trap 'rm -rf -- "$T"' EXIT
status=0

export PIP_DISABLE_PIP_VERSION_CHECK=1
if python3 -m venv "$T/venv" >/dev/null 2>&1 &&
  "$T/venv/bin/pip" install --quiet --retries 1 --timeout 30 'pytest-lsp==1.0.1' >"$T/pip.log" 2>&1; then
  echo "# pytest-lsp $("$T/venv/bin/python" -c 'import importlib.metadata as m; print(m.version("pytest-lsp"))')"
  (cd -- "$here/lsp" && ARCHLINT_BIN="$bin" timeout 300 "$T/venv/bin/pytest" -q -p no:cacheprovider) || status=1
else
  echo "SKIP: pytest-lsp could not be installed from PyPI: $(tail -n 1 "$T/pip.log" 2>/dev/null)"
fi

if command -v nvim >/dev/null 2>&1; then
  echo "# $(nvim --version | head -n 1)"
  R="$T/repo"
  mkdir -p "$R/.git"
  printf 'profile = "core"\n' >"$R/archlint.toml"
  cat >"$R/ARCHITECTURE.md" <<'DOC'
# Architecture

## Overview

Équipe : [Team Name].

## System Architecture

One process.

## Components

The parts.

## Data Flow

In and out.

## Design Decisions

None yet.

## Deployment

A binary.

## Future Considerations

More.
DOC
  # Neovim 0.7 (Debian 12) has no vim.lsp.start: start_client and attach. The
  # script prints one line per check and exits non-zero on the first failure.
  cat >"$T/check.lua" <<'LUA'
local bin, root = vim.env.ARCHLINT_BIN, vim.env.REPO
vim.cmd("edit " .. root .. "/ARCHITECTURE.md")
local buf = vim.api.nvim_get_current_buf()
local id = vim.lsp.start_client({ name = "archlint", cmd = { bin, "server" }, root_dir = root })
vim.lsp.buf_attach_client(buf, id)
local function fail(msg) io.stderr:write("not ok - " .. msg .. "\n"); vim.cmd("cquit 1") end
local function ok(msg) io.stdout:write("ok - " .. msg .. "\n") end
if not vim.wait(5000, function() return #vim.diagnostic.get(buf) >= 2 end, 20) then
  fail("nvim: no diagnostics arrived")
end
local codes = {}
for _, d in ipairs(vim.diagnostic.get(buf)) do codes[#codes + 1] = d.source .. ":" .. tostring(d.code or (d.user_data and d.user_data.lsp and d.user_data.lsp.code)) end
table.sort(codes)
local want = "archlint:missing-section archlint:placeholder"
if table.concat(codes, " ") ~= want then fail("nvim: diagnostics were " .. table.concat(codes, " ")) end
ok("nvim: vim.diagnostic.get() holds the placeholder and the missing section")
for _, d in ipairs(vim.diagnostic.get(buf)) do
  if d.message:find("^template placeholder") then
    -- Neovim counts byte columns: "Équipe : " is 10 bytes.
    if d.lnum ~= 4 or d.col ~= 10 then fail(("nvim: placeholder at %d:%d"):format(d.lnum, d.col)) end
  end
end
ok("nvim: the placeholder is at line 5, byte column 10")
local client = vim.lsp.get_client_by_id(id)
local params = { textDocument = { uri = vim.uri_from_bufnr(buf) },
  range = { start = { line = 4, character = 0 }, ["end"] = { line = 30, character = 0 } },
  context = { diagnostics = {} } }
local res = client.request_sync("textDocument/codeAction", params, 5000, buf)
if not res or not res.result then fail("nvim: no code actions") end
local fix
for _, a in ipairs(res.result) do if a.title == "add the section `## Security`" then fix = a end end
if not fix then fail("nvim: no quick fix for the missing section") end
vim.lsp.util.apply_workspace_edit(fix.edit, client.offset_encoding or "utf-16")
local text = table.concat(vim.api.nvim_buf_get_lines(buf, 0, -1, false), "\n")
if not text:find("## Security\n\n%[") then fail("nvim: the quick fix did not write the section") end
if not vim.wait(5000, function()
  for _, d in ipairs(vim.diagnostic.get(buf)) do if d.message:find("Security") and d.message:find("missing") then return false end end
  return true
end, 20) then fail("nvim: the missing-section finding stayed after the fix") end
ok("nvim: the quick fix wrote the section and its finding went away")
vim.cmd("qall!")
LUA
  if ARCHLINT_BIN="$bin" REPO="$R" timeout 60 nvim --headless --clean -u NONE -c "luafile $T/check.lua" 2>"$T/nvim.err"; then
    :
  else
    status=1
    sed 's/^/#   /' "$T/nvim.err"
  fi
else
  echo "SKIP: nvim is not installed"
fi
exit "$status"
