//! gitGraph: Mermaid's Langium grammar (`gitGraph.langium`) and the checks its
//! database makes while the diagram is built (`gitGraphAst.ts`): a branch created
//! twice, a checkout or merge of a branch that does not exist, a merge with nothing
//! to merge, a cherry-pick of a commit that is not there.

use std::collections::HashMap;

use super::langium::{lex, Kind, Parser, Spec, Terminal};
use super::prep::Prepared;
use super::MermaidError;

const SPEC: Spec = Spec {
    keywords: &[
        "cherry-pick",
        "HIGHLIGHT",
        "gitGraph:",
        "checkout",
        "gitGraph",
        "REVERSE",
        "parent:",
        "NORMAL",
        "commit",
        "branch",
        "order:",
        "switch",
        "merge",
        "type:",
        "msg:",
        "tag:",
        "id:",
        "LR",
        "TB",
        "BT",
        ":",
    ],
    header_keywords: &["gitGraph"],
    terminals: &[
        Terminal::AccDescr,
        Terminal::AccTitle,
        Terminal::Title,
        Terminal::Int,
        Terminal::Str,
        Terminal::Newline,
        Terminal::Reference,
    ],
    hidden: &[],
    longer_alts: &[],
};

const COMMIT_TYPES: [&str; 3] = ["NORMAL", "REVERSE", "HIGHLIGHT"];

fn commit_type(p: &mut Parser<'_, '_>) -> Result<&'static str, MermaidError> {
    for ty in COMMIT_TYPES {
        if p.next_is(ty) {
            p.bump();
            return Ok(ty);
        }
    }
    Err(p.unexpected("`type:` takes `NORMAL`, `REVERSE` or `HIGHLIGHT`"))
}

#[derive(Default, Clone)]
struct Options {
    id: Option<String>,
    tags: usize,
    parent: Option<String>,
}

/// What the statement was, for the database.
enum Statement {
    Commit(Options),
    Branch(String),
    Merge(String, Options),
    Checkout(String),
    CherryPick(Options),
}

fn statement(p: &mut Parser<'_, '_>) -> Result<Option<(Statement, usize)>, MermaidError> {
    let line = p.line();
    let Some(t) = p.peek().copied() else {
        return Ok(None);
    };
    let Kind::Keyword(word) = t.kind else {
        return Ok(None);
    };
    let stmt = match word {
        "commit" => {
            p.bump();
            let mut o = Options::default();
            loop {
                if p.next_is("id:") {
                    p.bump();
                    o.id = Some(p.string("id:")?);
                } else if p.next_is("msg:") {
                    p.bump();
                    p.string("msg:")?;
                } else if p.next_is("tag:") {
                    p.bump();
                    p.string("tag:")?;
                    o.tags += 1;
                } else if p.next_is("type:") {
                    p.bump();
                    commit_type(p)?;
                } else if p.next_is_terminal(Terminal::Str) {
                    p.string("commit")?;
                } else {
                    break;
                }
            }
            if !p.next_is_terminal(Terminal::Newline) && p.peek().is_some() {
                return Err(p.unexpected(
                    "`commit` takes `id: \"…\"`, `msg: \"…\"`, `tag: \"…\"` or `type: NORMAL|REVERSE|HIGHLIGHT`",
                ));
            }
            p.eol("`commit`")?;
            Statement::Commit(o)
        }
        "branch" => {
            p.bump();
            let (name, _) = p.branch_name("branch")?;
            if p.next_is("order:") {
                p.bump();
                if !p.next_is_terminal(Terminal::Int) {
                    return Err(p.unexpected("`order:` needs a whole number"));
                }
                p.bump();
            }
            p.eol("`branch <name>`")?;
            Statement::Branch(name)
        }
        "merge" => {
            p.bump();
            let (name, _) = p.branch_name("merge")?;
            let mut o = Options::default();
            loop {
                if p.next_is("id:") {
                    p.bump();
                    o.id = Some(p.string("id:")?);
                } else if p.next_is("tag:") {
                    p.bump();
                    p.string("tag:")?;
                } else if p.next_is("type:") {
                    p.bump();
                    commit_type(p)?;
                } else {
                    break;
                }
            }
            if !p.next_is_terminal(Terminal::Newline) && p.peek().is_some() {
                return Err(p.unexpected(
                    "`merge <branch>` takes `id: \"…\"`, `tag: \"…\"` or `type: NORMAL|REVERSE|HIGHLIGHT`",
                ));
            }
            p.eol("`merge <branch>`")?;
            Statement::Merge(name, o)
        }
        "checkout" | "switch" => {
            p.bump();
            let (name, _) = p.branch_name(word)?;
            p.eol(&format!("`{word} <branch>`"))?;
            Statement::Checkout(name)
        }
        "cherry-pick" => {
            p.bump();
            let mut o = Options::default();
            loop {
                if p.next_is("id:") {
                    p.bump();
                    o.id = Some(p.string("id:")?);
                } else if p.next_is("tag:") {
                    p.bump();
                    p.string("tag:")?;
                    o.tags += 1;
                } else if p.next_is("parent:") {
                    p.bump();
                    o.parent = Some(p.string("parent:")?);
                } else {
                    break;
                }
            }
            if !p.next_is_terminal(Terminal::Newline) && p.peek().is_some() {
                return Err(p.unexpected(
                    "`cherry-pick` takes `id: \"…\"`, `tag: \"…\"` or `parent: \"…\"`",
                ));
            }
            p.eol("`cherry-pick`")?;
            Statement::CherryPick(o)
        }
        _ => return Ok(None),
    };
    Ok(Some((stmt, line)))
}

/// Parses the diagram; the statements with their lines.
fn parse(p: &mut Parser<'_, '_>) -> Result<Vec<(Statement, usize)>, MermaidError> {
    while p.next_is_terminal(Terminal::Newline) {
        p.bump();
    }
    if p.next_is("gitGraph:") {
        p.bump();
    } else if p.next_is("gitGraph") {
        p.bump();
        if p.next_is(":") {
            p.bump();
        } else if ["LR", "TB", "BT"].iter().any(|d| p.next_is(d)) {
            p.bump();
            if !p.next_is(":") {
                return Err(p.unexpected(
                    "a direction after `gitGraph` is written with a colon, as in `gitGraph LR:`",
                ));
            }
            p.bump();
        }
    } else {
        return Err(p.unexpected("expected `gitGraph`"));
    }
    let mut out = Vec::new();
    loop {
        if p.next_is_terminal(Terminal::Newline) {
            p.bump();
            continue;
        }
        let Some(t) = p.peek().copied() else {
            return Ok(out);
        };
        if [Terminal::AccDescr, Terminal::AccTitle, Terminal::Title]
            .iter()
            .any(|&k| t.is_terminal(k))
        {
            p.bump();
            p.eol("a title or accessibility line")?;
            continue;
        }
        match statement(p)? {
            Some(s) => out.push(s),
            None => {
                return Err(p.unexpected(
                    "expected a gitGraph command (`commit`, `branch`, `checkout`, `switch`, `merge` or `cherry-pick`)",
                ))
            }
        }
    }
}

#[derive(Clone, Copy, PartialEq)]
enum CommitKind {
    Normal,
    Merge,
}

struct Commit {
    branch: String,
    kind: CommitKind,
    parents: Vec<String>,
}

/// The database's state: Mermaid's `gitGraphAst.ts`, minus what only drawing needs.
struct Db {
    commits: HashMap<String, Commit>,
    branches: HashMap<String, Option<String>>,
    current: String,
    head: Option<String>,
    seq: usize,
}

impl Db {
    fn new(main: &str) -> Self {
        let mut branches = HashMap::new();
        branches.insert(main.to_string(), None);
        Db {
            commits: HashMap::new(),
            branches,
            current: main.to_string(),
            head: None,
            seq: 0,
        }
    }

    fn fresh_id(&mut self) -> String {
        // Mermaid's generated ids (`seq-random`) never meet a written one in practice.
        self.seq += 1;
        format!("\u{0}{}", self.seq)
    }

    fn add(&mut self, id: String, kind: CommitKind, parents: Vec<String>) {
        let commit = Commit {
            branch: self.current.clone(),
            kind,
            parents,
        };
        self.commits.insert(id.clone(), commit);
        self.branches.insert(self.current.clone(), Some(id.clone()));
        self.head = Some(id);
    }

    fn head_parents(&self) -> Vec<String> {
        self.head.iter().cloned().collect()
    }

    fn apply(&mut self, s: Statement, line: usize) -> Result<(), MermaidError> {
        let err = |m: String| Err(MermaidError::new(line, m));
        match s {
            Statement::Commit(o) => {
                let id = match o.id.filter(|i| !i.is_empty()) {
                    Some(id) => id,
                    None => self.fresh_id(),
                };
                let parents = self.head_parents();
                self.add(id, CommitKind::Normal, parents);
            }
            Statement::Branch(name) => {
                if self.branches.contains_key(&name) {
                    return err(format!(
                        "branch `{name}` already exists; use `checkout {name}` to switch to it"
                    ));
                }
                self.branches.insert(name.clone(), self.head.clone());
                self.current = name;
            }
            Statement::Checkout(name) => {
                let Some(head) = self.branches.get(&name) else {
                    return err(format!(
                        "branch `{name}` is checked out before it is created with `branch {name}`"
                    ));
                };
                self.head = head.clone();
                self.current = name;
            }
            Statement::Merge(other, o) => {
                let current_head = self.branches.get(&self.current).cloned().flatten();
                let other_head = self.branches.get(&other).cloned().flatten();
                let current_commit = current_head.as_ref().and_then(|i| self.commits.get(i));
                let other_commit = other_head.as_ref().and_then(|i| self.commits.get(i));
                if current_commit.is_some_and(|c| c.branch == other) && other_commit.is_some() {
                    return err(format!("cannot merge branch `{other}` into itself"));
                }
                if self.current == other {
                    return err(format!("cannot merge branch `{other}` into itself"));
                }
                if current_commit.is_none() {
                    return err(format!(
                        "`merge {other}`: the current branch `{}` has no commits yet",
                        self.current
                    ));
                }
                if !self.branches.contains_key(&other) {
                    return err(format!(
                        "`merge {other}`: there is no branch `{other}`; create it with `branch {other}`"
                    ));
                }
                if other_commit.is_none() {
                    return err(format!(
                        "`merge {other}`: branch `{other}` has no commits yet"
                    ));
                }
                if current_head == other_head {
                    return err(format!(
                        "`merge {other}`: both branches point at the same commit; there is nothing to merge"
                    ));
                }
                let custom = o.id.filter(|i| !i.is_empty());
                if let Some(id) = &custom {
                    if self.commits.contains_key(id) {
                        return err(format!(
                            "`merge {other}`: a commit with id `{id}` already exists"
                        ));
                    }
                }
                let id = custom.unwrap_or_else(|| self.fresh_id());
                let mut parents = self.head_parents();
                if self.head.is_some() {
                    parents.push(other_head.unwrap_or_default());
                }
                self.add(id, CommitKind::Merge, parents);
            }
            Statement::CherryPick(o) => {
                let source = o.id.clone().unwrap_or_default();
                let Some(commit) = self.commits.get(&source).filter(|_| !source.is_empty()) else {
                    return err(format!(
                        "`cherry-pick` needs the `id:` of an existing commit; there is no commit `{source}`"
                    ));
                };
                if let Some(parent) = o.parent.as_ref().filter(|p| !p.is_empty()) {
                    if !commit.parents.contains(parent) {
                        return err(format!(
                            "`cherry-pick`: `{parent}` is not a parent of commit `{source}`"
                        ));
                    }
                }
                if commit.kind == CommitKind::Merge && o.parent.as_deref().unwrap_or("").is_empty()
                {
                    return err(format!(
                        "`cherry-pick` of the merge commit `{source}` needs `parent: \"…\"`"
                    ));
                }
                if commit.branch == self.current {
                    return err(format!(
                        "`cherry-pick`: commit `{source}` is already on the current branch `{}`",
                        self.current
                    ));
                }
                let current_head = self.branches.get(&self.current).cloned().flatten();
                if current_head.is_none_or(|h| !self.commits.contains_key(&h)) {
                    return err(format!(
                        "`cherry-pick`: the current branch `{}` has no commits yet",
                        self.current
                    ));
                }
                let id = self.fresh_id();
                let mut parents = self.head_parents();
                if self.head.is_some() {
                    parents.push(source);
                }
                self.add(id, CommitKind::Normal, parents);
            }
        }
        Ok(())
    }
}

/// `had_config`: front matter or a directive may rename the main branch, so the
/// database's checks are skipped.
pub(super) fn check(
    p: &Prepared<'_>,
    header_line: usize,
    had_config: bool,
) -> Option<MermaidError> {
    let mut text = String::new();
    let lexed = match lex(p, header_line, &mut text, &SPEC) {
        Ok(l) => l,
        Err(e) => return Some(e),
    };
    let mut parser = Parser::new(&lexed);
    let statements = match parse(&mut parser) {
        Ok(s) => s,
        Err(e) => return Some(e),
    };
    if had_config {
        return None;
    }
    let mut db = Db::new("main");
    for (s, line) in statements {
        if let Err(e) = db.apply(s, line) {
            return Some(e);
        }
    }
    None
}
