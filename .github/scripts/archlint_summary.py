#!/usr/bin/env python3
"""Turn an archlint JSON report into the Markdown job summary of the action.

Usage: archlint_summary.py REPORT.json EXIT_CODE  (Markdown on stdout)

Paths in the report are relative to the directory archlint ran in (the
current directory); links are made relative to GITHUB_WORKSPACE so that they
point into the repository at GITHUB_SHA. Standard library only, because the
action runs on whatever python3 the runner has.
"""

import html
import json
import os
import sys
from urllib.parse import quote

# $GITHUB_STEP_SUMMARY takes at most 1 MiB per step; long reports are cut.
MAX_FILES = 200
MAX_FINDINGS = 500


def cell(text):
    """Make text safe inside a Markdown table cell (and free of raw HTML)."""
    text = html.escape(str(text), quote=False)
    return text.replace("|", "\\|").replace("\r", "").replace("\n", "<br>")


def plural(n, word):
    return f"{n} {word}" + ("" if n == 1 else "s")


def blob_base():
    server = os.environ.get("GITHUB_SERVER_URL")
    repo = os.environ.get("GITHUB_REPOSITORY")
    sha = os.environ.get("GITHUB_SHA")
    if server and repo and sha:
        return f"{server.rstrip('/')}/{repo}/blob/{sha}/"
    return None


def repo_path(path):
    """The path relative to the workspace, or None if it lies outside it."""
    workspace = os.environ.get("GITHUB_WORKSPACE")
    if not workspace or path in ("-", "<stdin>"):
        return None
    full = os.path.realpath(os.path.join(os.getcwd(), path))
    rel = os.path.relpath(full, os.path.realpath(workspace))
    if rel == os.pardir or rel.startswith(os.pardir + os.sep) or os.path.isabs(rel):
        return None
    return rel.replace(os.sep, "/")


def link(text, path, line=None):
    base = blob_base()
    rel = repo_path(path)
    if base is None or rel is None:
        return cell(text)
    url = base + quote(rel, safe="/")
    if line:
        url += f"#L{int(line)}"
    return f"[{cell(text)}]({url})"


def render(report, exit_code):
    files = report.get("files") or []
    rows, findings = [], []
    errors = warnings = 0
    for entry in files:
        path = entry.get("path", "?")
        diags = entry.get("diagnostics") or []
        e = sum(1 for d in diags if d.get("severity") == "error")
        w = sum(1 for d in diags if d.get("severity") == "warning")
        errors, warnings = errors + e, warnings + w
        rows.append(f"| {link(path, path)} | {cell(entry.get('profile') or '')} | {e} | {w} |")
        for d in diags:
            findings.append((path, d))

    summary = report.get("summary") or {}
    errors = summary.get("errors", errors)
    warnings = summary.get("warnings", warnings)
    nfiles = summary.get("files", len(files))
    status = ":x:" if exit_code != 0 else (":warning:" if warnings else ":white_check_mark:")

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
        for path, d in findings[:MAX_FINDINGS]:
            line, col = d.get("line"), d.get("column")
            where = f"{path}:{line}:{col}" if line else path
            message = cell(d.get("message", ""))
            if d.get("help"):
                message += f"<br>*help:* {cell(d['help'])}"
            out.append(
                f"| {cell(d.get('severity', ''))} | {link(where, path, line)} "
                f"| `{cell(d.get('rule', ''))}` | {message} |"
            )
        if len(findings) > MAX_FINDINGS:
            out += ["", f"… and {len(findings) - MAX_FINDINGS} more findings; see the step log."]
    return "\n".join(out) + "\n"


def main():
    if len(sys.argv) != 3:
        sys.exit("usage: archlint_summary.py REPORT.json EXIT_CODE")
    exit_code = int(sys.argv[2])
    try:
        with open(sys.argv[1], encoding="utf-8") as f:
            report = json.load(f)
    except (OSError, ValueError):
        # Exit 2 (usage or config error) leaves no report; say so instead.
        sys.stdout.write(
            "## archlint\n\n"
            f":x: archlint exited with code {exit_code} and wrote no report; see the step log.\n"
        )
        return
    sys.stdout.write(render(report, exit_code))


if __name__ == "__main__":
    main()
