"""`archlint server` driven by pytest-lsp, which speaks to it as an editor does.

ARCHLINT_BIN names the binary under test. Each test gets a fresh repository with a
configuration and a document, opens the document, and asserts on what the server
sent: diagnostics with exact ranges (UTF-16 columns on a line with non-ASCII text),
new diagnostics after an edit, a quick fix that removes its finding once applied,
hover documentation, and a broken configuration shown as a message while the server
keeps serving.
"""

import os
import pathlib
import sys

import pytest
import pytest_lsp
from lsprotocol import types
from pytest_lsp import ClientServerConfig, LanguageClient

ARCHLINT = os.environ["ARCHLINT_BIN"]

DOC = """# Architecture

## Overview

Équipe responsable : [Team Name] pour le moment.

## System Architecture

One process.

## Components

The parts.

## Data Flow

In and out.

## Design Decisions

None yet.

## Security

Local only.

## Deployment

A binary.

## Future Considerations

More.
"""


@pytest.fixture
def repo(tmp_path: pathlib.Path) -> pathlib.Path:
    (tmp_path / ".git").mkdir()
    (tmp_path / "archlint.toml").write_text('profile = "core"\n')
    (tmp_path / "ARCHITECTURE.md").write_text(DOC)
    return tmp_path


@pytest_lsp.fixture(config=ClientServerConfig(server_command=[ARCHLINT, "server"]))
async def client(lsp_client: LanguageClient, repo: pathlib.Path):
    params = types.InitializeParams(
        capabilities=types.ClientCapabilities(
            workspace=types.WorkspaceClientCapabilities(
                did_change_watched_files=types.DidChangeWatchedFilesClientCapabilities(
                    dynamic_registration=False
                )
            )
        ),
        root_uri=repo.as_uri(),
    )
    await lsp_client.initialize_session(params)
    yield
    await lsp_client.shutdown_session()


async def open_doc(client: LanguageClient, repo: pathlib.Path, text: str = DOC) -> str:
    uri = (repo / "ARCHITECTURE.md").as_uri()
    client.text_document_did_open(
        types.DidOpenTextDocumentParams(
            text_document=types.TextDocumentItem(
                uri=uri, language_id="markdown", version=1, text=text
            )
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    return uri


async def test_diagnostics_have_exact_utf16_ranges(client: LanguageClient, repo):
    uri = await open_doc(client, repo)
    found = client.diagnostics[uri]
    placeholders = [d for d in found if d.code == "placeholder"]
    assert len(placeholders) == 1, found
    d = placeholders[0]
    # Line 5 (0-based 4): "Équipe responsable : " is 21 UTF-16 units, "[Team Name]" 11.
    assert d.range == types.Range(
        start=types.Position(line=4, character=21), end=types.Position(line=4, character=32)
    )
    assert d.severity == types.DiagnosticSeverity.Error
    assert d.source == "archlint"


async def test_an_edit_brings_new_diagnostics(client: LanguageClient, repo):
    uri = await open_doc(client, repo)
    fixed = DOC.replace("[Team Name]", "l'équipe cuisine").replace("## Security\n\nLocal only.\n\n", "")
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=fixed)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = [d.code for d in client.diagnostics[uri]]
    assert codes == ["missing-section"], client.diagnostics[uri]


async def test_a_quick_fix_removes_its_finding(client: LanguageClient, repo):
    text = DOC.replace("## Security\n\nLocal only.\n\n", "").replace("[Team Name]", "Ops")
    uri = await open_doc(client, repo, text)
    [missing] = client.diagnostics[uri]
    assert missing.code == "missing-section"
    actions = await client.text_document_code_action_async(
        types.CodeActionParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            range=missing.range,
            context=types.CodeActionContext(diagnostics=[missing]),
        )
    )
    titles = [a.title for a in actions]
    assert "add the section `## Security`" in titles, titles
    assert "disable missing-section for this line" in titles, titles
    fix = next(a for a in actions if a.title == "add the section `## Security`")
    [edit] = fix.edit.changes[uri]
    lines = text.split("\n")
    start = sum(len(l) + 1 for l in lines[: edit.range.start.line]) + edit.range.start.character
    end = sum(len(l) + 1 for l in lines[: edit.range.end.line]) + edit.range.end.character
    applied = text[:start] + edit.new_text + text[end:]
    assert "## Security\n\n[" in applied
    client.text_document_did_change(
        types.DidChangeTextDocumentParams(
            text_document=types.VersionedTextDocumentIdentifier(uri=uri, version=2),
            content_changes=[types.TextDocumentContentChangeWholeDocument(text=applied)],
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    codes = sorted(d.code for d in client.diagnostics[uri])
    # The section is there; what remains is the writing it asks for.
    assert "missing-section" not in codes, client.diagnostics[uri]
    assert "placeholder" in codes, client.diagnostics[uri]


async def test_hover_shows_the_rule_docs(client: LanguageClient, repo):
    uri = await open_doc(client, repo)
    hover = await client.text_document_hover_async(
        types.HoverParams(
            text_document=types.TextDocumentIdentifier(uri=uri),
            position=types.Position(line=4, character=25),
        )
    )
    assert hover is not None
    assert "placeholder" in hover.contents.value
    assert "## What it finds" in hover.contents.value


async def test_a_broken_configuration_is_a_message_and_the_server_goes_on(
    client: LanguageClient, repo
):
    (repo / "archlint.toml").write_text('profile = "core"\nbogus = 1\n')
    # The message comes before the (empty) diagnostics that open_doc waits for.
    uri = await open_doc(client, repo)
    [message] = client.messages
    assert message.type == types.MessageType.Error
    assert "bogus" in message.message, message.message
    assert list(client.diagnostics[uri]) == []
    # Mended on disk and announced: the server checks again.
    (repo / "archlint.toml").write_text('profile = "core"\n')
    client.workspace_did_change_watched_files(
        types.DidChangeWatchedFilesParams(
            changes=[
                types.FileEvent(uri=(repo / "archlint.toml").as_uri(), type=types.FileChangeType.Changed)
            ]
        )
    )
    await client.wait_for_notification(types.TEXT_DOCUMENT_PUBLISH_DIAGNOSTICS)
    assert [d.code for d in client.diagnostics[uri]] == ["placeholder"]
