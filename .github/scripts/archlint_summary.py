#!/usr/bin/env python3
"""Read an archlint JSON report for the GitHub Action.

Usage:
  archlint_summary.py REPORT.json EXIT_CODE   Markdown job summary on stdout
  archlint_summary.py --counts REPORT.json    `errors=N`, `warnings=N` and
                                              `files=N` lines on stdout; exit 1
                                              (printing nothing) when the report
                                              is missing or unreadable

Paths in the report are relative to the directory archlint ran in (the
current directory); links are made relative to GITHUB_WORKSPACE so that they
point into the repository at GITHUB_SHA. Standard library only, because the
action runs on whatever python3 the runner has.

Everything taken from the report (paths, profile names, rule ids, messages,
help) can come from a hostile pull request: a file name, a heading or a
placeholder is quoted in messages. Such text is only ever written inside a
code span (see `code`), where Markdown opens no link, image, autolink,
emphasis or HTML; backslash escapes would not be enough, since GFM still turns
`a\\@b\\.com` into a mailto link.
"""

import json
import os
import sys
import unicodedata
from urllib.parse import quote

# $GITHUB_STEP_SUMMARY takes at most 1 MiB per step; long reports are cut.
MAX_FILES = 200
MAX_FINDINGS = 500
MAX_CELL = 300  # characters of report text per cell, before escaping
MAX_BYTES = 800_000  # stop adding rows past this, leaving room for the rest

# Shown as \u{...}: they would end a table row (line breaks) or reorder what
# a reader sees (bidirectional overrides, "Trojan Source").
_BIDI = set("\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def visible(text):
    """Text with control, line-separator and bidi characters written out."""
    out = []
    for ch in text:
        if ch in _NAMED:
            out.append(_NAMED[ch])
        elif ch in _BIDI or unicodedata.category(ch) in ("Cc", "Zl", "Zp"):
            out.append(f"\\u{{{ord(ch):04x}}}")
        else:
            out.append(ch)
    return "".join(out)


def code(text):
    """Report text as one inline code span that is safe in a table cell.

    Inside a code span Markdown parses nothing (no links, images, autolinks,
    HTML, entities or emphasis), so the only ways out are its closing fence
    and the table's cell separator: the fence is one backtick longer than the
    longest run of backticks in the text, and every `|` is written `\\|`
    (GFM splits cells before it parses code spans and unescapes `\\|` there).
    Padding both sides with a space lets the text start or end with a
    backtick; CommonMark strips exactly that one space from each side.
    """
    text = str(text)
    if len(text) > MAX_CELL:
        text = text[:MAX_CELL] + "…"
    text = visible(text)
    if not text:
        return ""
    longest = run = 0
    for ch in text:
        run = run + 1 if ch == "`" else 0
        longest = max(longest, run)
    fence = "`" * (longest + 1)
    return f"{fence} {text.replace('|', chr(92) + '|')} {fence}"


def count(value, default):
    """A non-negative int from the report, or the default."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        return default
    return value


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def severity_cell(severity):
    return severity if severity in ("error", "warning") else code(severity)


def blob_base():
    server = os.environ.get("GITHUB_SERVER_URL")
    repo = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    if server and repo and sha:
        return f"{server.rstrip('/')}/{quote(repo, safe='/')}/blob/{quote(sha, safe='')}/"
    return None


def repo_path(path):
    """The path relative to the workspace, or None if it lies outside it."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or not isinstance(path, str) or path in ("-", "<stdin>"):
        return None
    try:
        full = os.path.realpath(os.path.join(os.getcwd(), path))
        rel = os.path.relpath(full, os.path.realpath(workspace))
    except ValueError:  # NUL in the path, another drive on Windows
        return None
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def link(text, path, line=None):
    """`text` as a code span, linked to the file when it is in the workspace.

    The URL is built here and percent-encoded (quote keeps only letters,
    digits, `_.-~` and `/`), so no character of the path can end it.
    """
    label = code(text)
    base = blob_base()
    rel = repo_path(path)
    if base is None or rel is None or not label:
        return label
    url = base + quote(rel, safe="/")
    if line:
        url += f"#L{line}"
    return f"[{label}]({url})"


def counts(report):
    """(errors, warnings, files) from the summary, else counted from files."""
    files = report.get("files")
    if not isinstance(files, list):
        files = []
    errors = warnings = 0
    for entry in files:
        diags = entry.get("diagnostics") if isinstance(entry, dict) else None
        for d in diags if isinstance(diags, list) else []:
            severity = d.get("severity") if isinstance(d, dict) else None
            errors += severity == "error"
            warnings += severity == "warning"
    summary = report.get("summary")
    if not isinstance(summary, dict):
        summary = {}
    return (
        count(summary.get("errors"), errors),
        count(summary.get("warnings"), warnings),
        count(summary.get("files"), len(files)),
    )


def render(report, exit_code):
    files = report.get("files")
    if not isinstance(files, list):
        files = []
    files = [entry for entry in files if isinstance(entry, dict)]
    errors, warnings, nfiles = counts(report)
    status = ":x:" if exit_code != 0 else (":warning:" if warnings else ":white_check_mark:")

    rows, findings = [], []
    for entry in files:
        path = entry.get("path")
        path = path if isinstance(path, str) else "?"
        diags = entry.get("diagnostics")
        diags = [d for d in diags if isinstance(d, dict)] if isinstance(diags, list) else []
        e = sum(1 for d in diags if d.get("severity") == "error")
        w = sum(1 for d in diags if d.get("severity") == "warning")
        rows.append(f"| {link(path, path)} | {code(entry.get('profile') or '')} | {e} | {w} |")
        findings.extend((path, d) for d in diags)

    out = ["## archlint", ""]
    out.append(
        f"{status} {plural(errors, 'error')}, {plural(warnings, 'warning')} "
        f"in {plural(nfiles, 'file')} checked (exit code {exit_code})"
    )
    out += ["", "| File | Profile | Errors | Warnings |", "| --- | --- | ---: | ---: |"]
    out += rows[:MAX_FILES]
    if len(rows) > MAX_FILES:
        out.append(f"| … and {len(rows) - MAX_FILES} more files | | | |")

    if findings:
        out += ["", "### Findings", ""]
        out += ["| Severity | Location | Rule | Message |", "| --- | --- | --- | --- |"]
        size = sum(len(s.encode()) + 1 for s in out)
        shown = 0
        for path, d in findings[:MAX_FINDINGS]:
            line = count(d.get("line"), 0)
            col = count(d.get("column"), 0)
            where = f"{path}:{line}:{col}" if line else path
            message = code(d.get("message") or "")
            if d.get("help"):
                message += f"<br>*help:* {code(d['help'])}"
            row = (
                f"| {severity_cell(d.get('severity'))} | {link(where, path, line)} "
                f"| {code(d.get('rule') or '')} | {message} |"
            )
            size += len(row.encode()) + 1
            if size > MAX_BYTES:
                break
            out.append(row)
            shown += 1
        if shown < len(findings):
            out += ["", f"… and {len(findings) - shown} more findings; see the step log."]
    return "\n".join(out) + "\n"


def load(path):
    """The report as a dict, or None when it is missing or not a report."""
    try:
        with open(path, encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError):
        return None
    return report if isinstance(report, dict) else None


def main():
    if len(sys.argv) == 3 and sys.argv[1] == "--counts":
        report = load(sys.argv[2])
        if report is None:
            sys.exit(1)
        errors, warnings, files = counts(report)
        sys.stdout.write(f"errors={errors}\nwarnings={warnings}\nfiles={files}\n")
        return
    if len(sys.argv) != 3:
        sys.exit("usage: archlint_summary.py REPORT.json EXIT_CODE | --counts REPORT.json")
    exit_code = int(sys.argv[2])
    report = load(sys.argv[1])
    if report is None:
        # Exit 2 (usage or config error) leaves no report; say so instead.
        sys.stdout.write(
            "## archlint\n\n"
            f":x: archlint exited with code {exit_code} and wrote no report; see the step log.\n"
        )
        return
    sys.stdout.write(render(report, exit_code))


if __name__ == "__main__":
    main()
