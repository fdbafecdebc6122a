//! `archlint server`: the Language Server Protocol on standard input and output
//! (`lsp-server`, synchronous, as rust-analyzer and ruff use it).
//!
//! Diagnostics are published for each open document on open and on change (changes
//! within [`DEBOUNCE`] of each other are checked once), from the editor's text, with
//! the configuration and profile choices `archlint check` would make for that file.
//! Each finding's fix is a quick fix, with "disable RULE for this line" beside it;
//! hovering a finding shows its rule's documentation. A change to a watched file
//! (configuration, profile, a referenced file) drops every cache and checks the open
//! documents again. A broken configuration or profile is shown as a message, and the
//! server goes on. Positions are UTF-16 code units unless the client offers UTF-8.

use std::collections::HashMap;
use std::path::{Path, PathBuf};
use std::time::Duration;

use lsp_server::{Connection, Message, Notification, Request, RequestId, Response};
use lsp_types::{
    notification::Notification as _, request::Request as _, CodeAction, CodeActionKind,
    CodeActionOrCommand, CodeActionParams, CodeDescription, Diagnostic as LspDiagnostic,
    DiagnosticSeverity, DidChangeTextDocumentParams, DidCloseTextDocumentParams,
    DidOpenTextDocumentParams, Hover, HoverContents, HoverParams, InitializeParams, MarkupContent,
    MarkupKind, MessageType, NumberOrString, Position, PositionEncodingKind,
    PublishDiagnosticsParams, Range, ServerCapabilities, ShowMessageParams, TextDocumentSyncKind,
    TextEdit, Uri, WorkspaceEdit,
};

use crate::cli::{CheckArgs, Cli, Command};
use crate::diagnostic::{Diagnostic, RuleId, Severity};
use crate::document::source::SourceFile;
use crate::error::{Error, Result};
use crate::input::config::Config;

use super::check::{check_text, Caches};

/// Changes this close together are checked once, after the last.
const DEBOUNCE: Duration = Duration::from_millis(10);

/// Where a finding's rule is documented, for editors that link a diagnostic's code.
const RULES_URL: &str = concat!(env!("CARGO_PKG_REPOSITORY"), "#rules");

pub fn run() -> Result<()> {
    let (conn, io) = Connection::stdio();
    let outcome = serve(&conn);
    drop(conn);
    let joined = io.join();
    outcome?;
    joined.map_err(|source| Error::Write {
        path: "<stdout>".into(),
        source,
    })
}

fn protocol(e: impl std::fmt::Display) -> Error {
    Error::usage(format!("language server: {e}"))
}

fn serve(conn: &Connection) -> Result<()> {
    let (id, params) = conn.initialize_start().map_err(protocol)?;
    let init: InitializeParams = serde_json::from_value(params).map_err(protocol)?;
    let utf8 = init
        .capabilities
        .general
        .as_ref()
        .and_then(|g| g.position_encodings.as_ref())
        .is_some_and(|e| e.contains(&PositionEncodingKind::UTF8));
    let capabilities = ServerCapabilities {
        position_encoding: Some(if utf8 {
            PositionEncodingKind::UTF8
        } else {
            PositionEncodingKind::UTF16
        }),
        text_document_sync: Some(TextDocumentSyncKind::FULL.into()),
        code_action_provider: Some(true.into()),
        hover_provider: Some(true.into()),
        ..Default::default()
    };
    let result = serde_json::json!({
        "capabilities": capabilities,
        "serverInfo": { "name": "archlint", "version": env!("CARGO_PKG_VERSION") },
    });
    conn.initialize_finish(id, result).map_err(protocol)?;
    let watch = init
        .capabilities
        .workspace
        .as_ref()
        .and_then(|w| w.did_change_watched_files.as_ref())
        .and_then(|d| d.dynamic_registration)
        .unwrap_or(false);
    let mut server = Server {
        conn,
        utf8,
        docs: HashMap::new(),
        checked: HashMap::new(),
        caches: Caches::new(),
        args: default_args()?,
        shown: None,
        pending: Vec::new(),
        next_id: 0,
    };
    if watch {
        server.watch_files();
    }
    server.main_loop()
}

/// `archlint check`'s defaults, as the server's settings.
fn default_args() -> Result<CheckArgs> {
    match Cli::parse_args(["archlint", "check"]) {
        Ok(Cli {
            command: Command::Check(args),
            ..
        }) => Ok(args),
        _ => Err(Error::usage(
            "language server: cannot build the check settings",
        )),
    }
}

struct Server<'c> {
    conn: &'c Connection,
    utf8: bool,
    /// Open documents: their text as the editor has it, and its version.
    docs: HashMap<String, (Uri, String, i32)>,
    /// The last check of each open document, for code actions and hover.
    checked: HashMap<String, (SourceFile, Vec<Diagnostic>)>,
    caches: Caches,
    args: CheckArgs,
    /// The last message shown, so that one broken configuration is not repeated on
    /// every keystroke.
    shown: Option<String>,
    /// Documents changed and not checked yet.
    pending: Vec<String>,
    next_id: i32,
}

impl Server<'_> {
    fn main_loop(&mut self) -> Result<()> {
        loop {
            let msg = if self.pending.is_empty() {
                match self.conn.receiver.recv() {
                    Ok(m) => m,
                    Err(_) => return Ok(()),
                }
            } else {
                match self.conn.receiver.recv_timeout(DEBOUNCE) {
                    Ok(m) => m,
                    Err(crossbeam_channel::RecvTimeoutError::Timeout) => {
                        self.check_pending();
                        continue;
                    }
                    Err(crossbeam_channel::RecvTimeoutError::Disconnected) => return Ok(()),
                }
            };
            match msg {
                Message::Request(req) => {
                    if self.conn.handle_shutdown(&req).map_err(protocol)? {
                        return Ok(());
                    }
                    // Answers come from the text as it is now.
                    self.check_pending();
                    self.request(req);
                }
                Message::Notification(n) => self.notification(n),
                Message::Response(_) => {}
            }
        }
    }

    fn send(&self, msg: Message) {
        // A client that went away ends the loop at its next receive.
        let _ = self.conn.sender.send(msg);
    }

    fn notify<N: lsp_types::notification::Notification>(&self, params: N::Params) {
        self.send(Message::Notification(Notification::new(
            N::METHOD.to_string(),
            params,
        )));
    }

    /// Asks the client to tell the server when configuration, profiles or any other
    /// file changes on disk.
    fn watch_files(&mut self) {
        let options = serde_json::json!({
            "watchers": [{ "globPattern": "**/*" }],
        });
        let params = lsp_types::RegistrationParams {
            registrations: vec![lsp_types::Registration {
                id: "archlint-watch".into(),
                method: lsp_types::notification::DidChangeWatchedFiles::METHOD.into(),
                register_options: Some(options),
            }],
        };
        self.next_id += 1;
        self.send(Message::Request(Request::new(
            RequestId::from(self.next_id),
            lsp_types::request::RegisterCapability::METHOD.to_string(),
            params,
        )));
    }

    fn notification(&mut self, n: Notification) {
        use lsp_types::notification::{
            DidChangeTextDocument, DidChangeWatchedFiles, DidCloseTextDocument, DidOpenTextDocument,
        };
        match n.method.as_str() {
            DidOpenTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidOpenTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    self.docs.insert(
                        key.clone(),
                        (
                            p.text_document.uri,
                            p.text_document.text,
                            p.text_document.version,
                        ),
                    );
                    self.check(&key);
                }
            }
            DidChangeTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidChangeTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    // Full sync: the last change holds the whole text.
                    if let (Some(doc), Some(change)) = (
                        self.docs.get_mut(&key),
                        p.content_changes.into_iter().last(),
                    ) {
                        doc.1 = change.text;
                        doc.2 = p.text_document.version;
                        if !self.pending.contains(&key) {
                            self.pending.push(key);
                        }
                    }
                }
            }
            DidCloseTextDocument::METHOD => {
                if let Ok(p) = serde_json::from_value::<DidCloseTextDocumentParams>(n.params) {
                    let key = p.text_document.uri.as_str().to_string();
                    self.docs.remove(&key);
                    self.checked.remove(&key);
                    self.pending.retain(|k| *k != key);
                    self.notify::<lsp_types::notification::PublishDiagnostics>(
                        PublishDiagnosticsParams {
                            uri: p.text_document.uri,
                            diagnostics: Vec::new(),
                            version: None,
                        },
                    );
                }
            }
            DidChangeWatchedFiles::METHOD => {
                // Configuration, a profile or a referenced file changed: nothing cached
                // can be trusted.
                self.caches = Caches::new();
                self.shown = None;
                self.pending = self.docs.keys().cloned().collect();
                self.check_pending();
            }
            _ => {}
        }
    }

    fn check_pending(&mut self) {
        for key in std::mem::take(&mut self.pending) {
            self.check(&key);
        }
    }

    /// Checks one open document and publishes its diagnostics.
    fn check(&mut self, key: &str) {
        let Some((uri, text, version)) = self.docs.get(key).cloned() else {
            return;
        };
        let Some(path) = file_path(&uri) else {
            return;
        };
        let dir = path.parent().unwrap_or(Path::new("/")).to_path_buf();
        let checked = Config::discover(&dir)
            .and_then(|config| check_text(&self.args, &config, &self.caches, &dir, &path, text));
        let report = match checked {
            Ok(report) => report,
            Err(e) => {
                // A broken configuration or profile: said once, and the document shows
                // no findings until it is mended.
                let message = format!("archlint: {}", plain_error(e));
                if self.shown.as_deref() != Some(&message) {
                    self.notify::<lsp_types::notification::ShowMessage>(ShowMessageParams {
                        typ: MessageType::ERROR,
                        message: message.clone(),
                    });
                    self.shown = Some(message);
                }
                self.checked.remove(key);
                self.notify::<lsp_types::notification::PublishDiagnostics>(
                    PublishDiagnosticsParams {
                        uri,
                        diagnostics: Vec::new(),
                        version: Some(version),
                    },
                );
                return;
            }
        };
        self.shown = None;
        // The report keeps the text only when there are findings.
        let source = SourceFile::new(report.source.name.clone(), self.docs[key].1.clone());
        let diagnostics: Vec<LspDiagnostic> = report
            .diagnostics
            .iter()
            .map(|d| self.lsp_diagnostic(&source, d))
            .collect();
        self.checked
            .insert(key.to_string(), (source, report.diagnostics));
        self.notify::<lsp_types::notification::PublishDiagnostics>(PublishDiagnosticsParams {
            uri,
            diagnostics,
            version: Some(version),
        });
    }

    fn lsp_diagnostic(&self, source: &SourceFile, d: &Diagnostic) -> LspDiagnostic {
        let mut message = d.message.to_string();
        if let Some(help) = &d.help {
            message.push_str("\nhelp: ");
            message.push_str(help);
        }
        LspDiagnostic {
            range: self.range(source, &d.span),
            severity: Some(match d.severity {
                Severity::Error => DiagnosticSeverity::ERROR,
                Severity::Warning => DiagnosticSeverity::WARNING,
            }),
            code: Some(NumberOrString::String(d.rule.as_str().to_string())),
            code_description: RULES_URL.parse().ok().map(|href| CodeDescription { href }),
            source: Some("archlint".into()),
            message,
            ..Default::default()
        }
    }

    fn position(&self, source: &SourceFile, offset: usize) -> Position {
        let offset = source.floor_boundary(offset.min(source.text().len()));
        let line = source.line_of(offset);
        let start = source.line_start(line);
        let before = &source.text()[start..offset.max(start)];
        let character = if self.utf8 {
            before.len()
        } else {
            before.encode_utf16().count()
        };
        Position::new((line - 1) as u32, character as u32)
    }

    fn range(&self, source: &SourceFile, span: &std::ops::Range<usize>) -> Range {
        Range::new(
            self.position(source, span.start),
            self.position(source, span.end),
        )
    }

    /// The byte offset of a protocol position.
    fn offset(&self, source: &SourceFile, p: Position) -> usize {
        let line = p.line as usize + 1;
        if line > source.line_count() {
            return source.text().len();
        }
        let span = source.line_span(line);
        let text = &source.text()[span.clone()];
        let mut units = 0usize;
        for (i, c) in text.char_indices() {
            if units >= p.character as usize {
                return span.start + i;
            }
            units += if self.utf8 {
                c.len_utf8()
            } else {
                c.len_utf16()
            };
        }
        span.end
    }

    fn request(&mut self, req: Request) {
        use lsp_types::request::{CodeActionRequest, HoverRequest};
        let result = match req.method.as_str() {
            CodeActionRequest::METHOD => serde_json::from_value::<CodeActionParams>(req.params)
                .ok()
                .map(|p| serde_json::to_value(self.code_actions(&p))),
            HoverRequest::METHOD => serde_json::from_value::<HoverParams>(req.params)
                .ok()
                .map(|p| serde_json::to_value(self.hover(&p))),
            _ => {
                self.send(Message::Response(Response::new_err(
                    req.id,
                    lsp_server::ErrorCode::MethodNotFound as i32,
                    format!("archlint does not handle {}", req.method),
                )));
                return;
            }
        };
        let response = match result {
            Some(Ok(value)) => Response::new_ok(req.id, value),
            _ => Response::new_err(
                req.id,
                lsp_server::ErrorCode::InvalidParams as i32,
                "invalid parameters".into(),
            ),
        };
        self.send(Message::Response(response));
    }

    /// Each finding's fix in the range, and "disable RULE for this line".
    fn code_actions(&self, p: &CodeActionParams) -> Vec<CodeActionOrCommand> {
        let uri = &p.text_document.uri;
        let Some((source, findings)) = self.checked.get(uri.as_str()) else {
            return Vec::new();
        };
        let from = self.offset(source, p.range.start);
        let to = self.offset(source, p.range.end);
        let mut out = Vec::new();
        let mut disabled: Vec<(usize, RuleId)> = Vec::new();
        for d in findings {
            let touches = d.span.start <= to && from <= d.span.end.max(d.span.start);
            if !touches {
                continue;
            }
            let diagnostic = self.lsp_diagnostic(source, d);
            if let Some(fix) = &d.fix {
                let edits = fix
                    .edits
                    .iter()
                    .map(|e| TextEdit::new(self.range(source, &e.span), e.text.clone()))
                    .collect();
                out.push(action(uri, &fix.title, edits, &diagnostic, !fix.claim));
            }
            let line = source.line_of(d.span.start);
            if !disabled.contains(&(line, d.rule)) {
                disabled.push((line, d.rule));
                let at = source.line_start(line);
                let indent: String = source.text()[at..]
                    .chars()
                    .take_while(|c| *c == ' ' || *c == '\t')
                    .collect();
                let nl = if source.text().contains("\r\n") {
                    "\r\n"
                } else {
                    "\n"
                };
                let comment = format!("{indent}<!-- archlint-disable-next-line {} -->{nl}", d.rule);
                let edit = TextEdit::new(self.range(source, &(at..at)), comment);
                out.push(action(
                    uri,
                    &format!("disable {} for this line", d.rule),
                    vec![edit],
                    &diagnostic,
                    false,
                ));
            }
        }
        out
    }

    /// The documentation of the rules whose findings lie under the cursor.
    fn hover(&self, p: &HoverParams) -> Option<Hover> {
        let doc = &p.text_document_position_params;
        let (source, findings) = self.checked.get(doc.text_document.uri.as_str())?;
        let at = self.offset(source, doc.position);
        let line = source.line_of(at);
        let mut rules: Vec<RuleId> = Vec::new();
        for d in findings {
            let here = (d.span.start <= at && at < d.span.end.max(d.span.start + 1))
                || (d.span.is_empty() && source.line_of(d.span.start) == line);
            if here && !rules.contains(&d.rule) {
                rules.push(d.rule);
            }
        }
        if rules.is_empty() {
            return None;
        }
        let text: Vec<String> = rules
            .iter()
            .filter_map(|r| crate::rules::find(*r))
            .map(|r| {
                format!(
                    "**archlint: `{}`**: {}\n\n{}",
                    r.meta().id,
                    r.meta().summary,
                    r.meta().docs
                )
            })
            .collect();
        Some(Hover {
            contents: HoverContents::Markup(MarkupContent {
                kind: MarkupKind::Markdown,
                value: text.join("\n\n---\n\n"),
            }),
            range: None,
        })
    }
}

fn action(
    uri: &Uri,
    title: &str,
    edits: Vec<TextEdit>,
    diagnostic: &LspDiagnostic,
    preferred: bool,
) -> CodeActionOrCommand {
    CodeActionOrCommand::CodeAction(CodeAction {
        title: title.to_string(),
        kind: Some(CodeActionKind::QUICKFIX),
        diagnostics: Some(vec![diagnostic.clone()]),
        edit: Some(WorkspaceEdit {
            changes: Some(HashMap::from([(uri.clone(), edits)])),
            ..Default::default()
        }),
        is_preferred: Some(preferred),
        ..Default::default()
    })
}

/// The path a `file:` URI names.
fn file_path(uri: &Uri) -> Option<PathBuf> {
    let s = uri.as_str();
    let rest = s.strip_prefix("file://")?;
    // `file:///path` (empty authority) or `file://localhost/path`.
    let path = rest.strip_prefix("localhost").unwrap_or(rest);
    let decoded = percent_encoding::percent_decode_str(path)
        .decode_utf8()
        .ok()?;
    let p = PathBuf::from(decoded.as_ref());
    p.is_absolute().then_some(p)
}

/// An error as one line of plain text, for a message box.
fn plain_error(e: Error) -> String {
    let mut out = Vec::new();
    crate::render_error(&mut out, e);
    let text = String::from_utf8_lossy(&out);
    text.lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .collect::<Vec<_>>()
        .join(" ")
}
