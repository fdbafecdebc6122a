//! comrak → the document outline every rule reads. The only module that imports comrak.
//!
//! The Markdown is parsed once; the outline keeps exact byte spans so rules never need
//! line arithmetic of their own. Headings inside code blocks, HTML comments or front
//! matter are not headings because comrak never makes them so.

use std::ops::Range;

use compact_str::CompactString;

use comrak::arena_tree::NodeEdge;
use comrak::nodes::{AstNode, ListType, NodeValue, Sourcepos};
use comrak::{parse_document, Arena, Options};

use crate::document::source::SourceFile;
use crate::facts::normalize::{normalize_heading_compact, normalize_label_compact};

pub mod front_matter;
mod pieces;
pub mod source;

/// A heading and everything below it up to the next heading of the same or a higher level.
#[derive(Debug, Clone)]
pub struct Section {
    pub level: u8,
    /// The heading's text as a reader sees it (inline markup removed).
    pub text: CompactString,
    /// The text normalised for matching (see [`crate::facts::normalize::normalize_heading`]).
    pub norm: CompactString,
    pub setext: bool,
    /// The heading itself (one line, or two for a setext heading).
    pub heading_span: Range<usize>,
    /// The `#` run of an ATX heading, or the underline of a setext one.
    pub marker_span: Range<usize>,
    /// The heading and everything that belongs to it, sub-sections included.
    pub span: Range<usize>,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// Indices into [`Document::blocks`] of the blocks before the first sub-section.
    pub blocks: Range<usize>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum BlockKind {
    Paragraph,
    List,
    Table,
    /// A code block (the block itself is in [`Document::code_blocks`]).
    Code,
    /// An HTML block; `comment` when it is nothing but HTML comments.
    Html {
        comment: bool,
    },
    ThematicBreak,
    BlockQuote,
    FootnoteDefinition,
    Other,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CodeBlock {
    pub fenced: bool,
    /// The whole info string, trimmed.
    pub info: CompactString,
    /// The first word of the info string, lowercased (`mermaid`, `text`, ...); empty if none.
    pub lang: CompactString,
    /// The text between the fences (or the indented lines).
    pub literal: String,
    /// Byte range of the body inside the source.
    pub body_span: Range<usize>,
    /// 1-based line of the first body line.
    pub body_line: usize,
    pub closed: bool,
}

/// A top-level block, owned by the innermost section it appears in.
#[derive(Debug, Clone)]
pub struct Block {
    pub kind: BlockKind,
    pub span: Range<usize>,
    /// 32 bits: a section index, and outlines are held for documents of many
    /// megabytes.
    pub section: Option<u32>,
}

/// A leaf of prose (paragraph, heading, table cell) with the inline ranges that are
/// not prose: code spans, links, images, footnote references, inline HTML, math.
#[derive(Debug, Clone)]
pub struct Prose {
    pub span: Range<usize>,
    /// Where the leaf's masked ranges are in [`Document::masks`] (see [`Document::masked`]).
    masks: Range<u32>,
    pub in_heading: bool,
}

/// A labelled field: `**Purpose**: ...`, `**Status:** ...`, at the start of a paragraph
/// or list item.
#[derive(Debug, Clone)]
pub struct Field {
    /// Label as written, without the colon.
    pub label: CompactString,
    /// Label normalised for matching.
    pub norm: CompactString,
    pub label_span: Range<usize>,
    /// The value: the rest of the paragraph after the label and colon.
    pub value_span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct Link {
    pub url: CompactString,
    pub span: Range<usize>,
    pub image: bool,
}

/// A link reference definition, `[label]: target "title"`. comrak consumes these, so
/// they are found in the source: outside code, comments and front matter, where a
/// definition may start (not in the middle of a paragraph). Footnote definitions
/// (`[^1]: ...`) are not link definitions.
#[derive(Debug, Clone)]
pub struct LinkDefinition {
    pub label: String,
    /// The target with backslash escapes and character references decoded, as
    /// comrak gives a link's URL (`Header&#32;Files` is `Header Files`).
    pub url: String,
    /// Byte range of the target in the source.
    pub url_span: Range<usize>,
    /// The whole definition line.
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct CodeSpan {
    pub text: CompactString,
    pub span: Range<usize>,
}

/// Offsets in 32 bits (documents are at most [`crate::document::source::MAX_DOCUMENT_BYTES`]):
/// a document of nested lists has an item for every line, and these are most of the
/// outline's memory.
#[derive(Debug, Clone)]
pub struct ListItem {
    span: (u32, u32),
    /// The item's first paragraph; `u32::MAX` at the start when it has none.
    lead: (u32, u32),
    /// Nesting depth, 1 for a top-level list.
    pub depth: u32,
    pub ordered: bool,
    pub task: bool,
}

impl ListItem {
    fn new(
        span: Range<usize>,
        lead: Option<Range<usize>>,
        depth: u32,
        ordered: bool,
        task: bool,
    ) -> Self {
        let at = |o: usize| u32::try_from(o).unwrap_or(u32::MAX - 1);
        ListItem {
            span: (at(span.start), at(span.end)),
            lead: lead.map_or((u32::MAX, 0), |l| (at(l.start), at(l.end))),
            depth,
            ordered,
            task,
        }
    }

    pub fn span(&self) -> Range<usize> {
        self.span.0 as usize..self.span.1 as usize
    }

    /// The item's first paragraph, if it has one.
    pub fn lead_span(&self) -> Option<Range<usize>> {
        (self.lead.0 != u32::MAX).then_some(self.lead.0 as usize..self.lead.1 as usize)
    }
}

#[derive(Debug, Clone)]
pub struct Comment {
    /// The comment text between `<!--` and `-->`, trimmed.
    pub body: String,
    pub span: Range<usize>,
}

#[derive(Debug, Clone)]
pub struct FrontMatter {
    pub span: Range<usize>,
    /// The text between the delimiters.
    pub body: String,
    /// 1-based line of the first body line.
    pub body_line: usize,
}

impl FrontMatter {
    /// The body's top-level `key: value` lines (not indented, not a list item or a
    /// comment): the line's index in the body, the key and the value, both trimmed.
    pub fn entries(&self) -> impl Iterator<Item = (usize, &str, &str)> {
        self.body.lines().enumerate().filter_map(|(i, line)| {
            if line.starts_with([' ', '\t', '-', '#']) {
                return None;
            }
            let (key, value) = line.split_once(':')?;
            Some((i, key.trim(), value.trim()))
        })
    }

    /// The strings of the top-level list `key` (`covers: ["src/a/**", b]`, a block of
    /// `- item` lines below `covers:`, or one plain value), with the key's index in
    /// the body; quotes are taken off. Enough YAML for a list of paths.
    pub fn list(&self, key: &str) -> Option<(usize, Vec<String>)> {
        let (i, _, value) = self.entries().find(|(_, k, _)| *k == key)?;
        let unquote = |s: &str| s.trim().trim_matches(['"', '\'']).to_string();
        let items: Vec<String> = if let Some(flow) = value.strip_prefix('[') {
            let flow = flow.split_once(']').map_or(flow, |(inner, _)| inner);
            flow.split(',')
                .map(unquote)
                .filter(|s| !s.is_empty())
                .collect()
        } else if value.is_empty() {
            self.body
                .lines()
                .skip(i + 1)
                .take_while(|l| l.starts_with([' ', '\t', '-']) || l.trim().is_empty())
                .filter_map(|l| l.trim_start().strip_prefix('-'))
                .map(unquote)
                .filter(|s| !s.is_empty())
                .collect()
        } else {
            vec![unquote(value)]
        };
        Some((i, items))
    }
}

/// The outline of one Markdown document.
#[derive(Debug, Clone, Default)]
pub struct Document {
    pub front_matter: Option<FrontMatter>,
    pub sections: Vec<Section>,
    pub blocks: Vec<Block>,
    /// Every code block, nested ones included.
    pub code_blocks: Vec<(CodeBlock, Range<usize>)>,
    pub prose: Vec<Prose>,
    /// Every prose leaf's masked ranges, one run per leaf, each run sorted: one vector
    /// for the document rather than one per leaf.
    masks: Vec<Range<usize>>,
    pub fields: Vec<Field>,
    pub links: Vec<Link>,
    /// Link reference definitions, in source order.
    pub link_definitions: Vec<LinkDefinition>,
    pub code_spans: Vec<CodeSpan>,
    pub list_items: Vec<ListItem>,
    pub comments: Vec<Comment>,
    /// Byte ranges of every code block (fence lines included), sorted.
    pub code_ranges: Vec<Range<usize>>,
    /// Blocks before the first heading.
    pub preamble_blocks: Range<usize>,
}

impl Document {
    pub fn parse(file: &SourceFile) -> Document {
        Self::parse_in_pieces(file, PIECE_BYTES)
    }

    /// [`Document::parse`] with pieces of about `piece` bytes (see [`PIECE_BYTES`]); the
    /// tests and the fuzz target make pieces small to check that the outline does not
    /// depend on them and that cutting never fails.
    #[doc(hidden)]
    pub fn parse_in_pieces(file: &SourceFile, piece: usize) -> Document {
        // comrak reads a copy in which absurdly dense lines are defused; the outline's
        // spans and texts still come from `file`, at the same offsets.
        let defused = defuse_dense_lines(file.text());
        let text: &str = &defused;
        let mut builder = Builder::new(file);
        let floor = pieces::first_split_floor(text);
        let Some(floor) = floor.filter(|_| text.len() > piece.saturating_mul(2)) else {
            let arena = Arena::new();
            builder.add(parse_document(&arena, text, &options()));
            return builder.finish();
        };
        // A reference may be defined in another piece: comrak asks for the labels it
        // could not resolve, and gets them from a scan of the whole source.
        let definitions = pieces::definitions(file, floor);
        let mut opts = options();
        opts.parse.broken_link_callback = Some(std::sync::Arc::new(
            |r: comrak::options::BrokenLinkReference| definitions.resolve(r.original),
        ));
        let mut start = 0;
        while start < text.len() {
            builder.line_offset = file.line_of(start) - 1;
            let from = (start + piece).max(floor);
            let end = match pieces::next_split(text, from) {
                Some(at) if at - from <= pieces::MAX_UNCUT => Some(at),
                heading if text.len().saturating_sub(from) > pieces::MAX_UNCUT => {
                    pieces::fallback_split(text, from).or(heading)
                }
                heading => heading,
            };
            if let Some(end) = end {
                let arena = Arena::new();
                let root = parse_document(&arena, &text[start..end], &opts);
                if pieces::ends_cleanly(root, &text[start..end]) {
                    builder.add(root);
                    start = end;
                    continue;
                }
                // Something open at the cut (an unclosed fence or HTML block) would
                // have swallowed the heading: the rest is parsed in one piece.
            }
            let arena = Arena::new();
            builder.add(parse_document(&arena, &text[start..], &opts));
            break;
        }
        builder.finish()
    }

    /// Give back what the vectors reserved beyond their length: the outline lives as
    /// long as its document's findings are made, and a large one's slack is megabytes.
    fn shrink_to_fit(&mut self) {
        self.sections.shrink_to_fit();
        self.blocks.shrink_to_fit();
        self.code_blocks.shrink_to_fit();
        self.prose.shrink_to_fit();
        self.masks.shrink_to_fit();
        self.fields.shrink_to_fit();
        self.links.shrink_to_fit();
        self.link_definitions.shrink_to_fit();
        self.code_spans.shrink_to_fit();
        self.list_items.shrink_to_fit();
        self.comments.shrink_to_fit();
        self.code_ranges.shrink_to_fit();
    }

    /// The ranges inside a prose leaf that are not prose, sorted by start.
    pub fn masked(&self, prose: &Prose) -> &[Range<usize>] {
        self.masks
            .get(prose.masks.start as usize..prose.masks.end as usize)
            .unwrap_or(&[])
    }

    /// The title: the first level-1 heading, if it comes before any other section content.
    pub fn title(&self) -> Option<usize> {
        self.sections.iter().position(|s| s.level == 1)
    }

    /// The front matter's `title:`, when it has a non-empty one: a static site's page
    /// gives its name there and has no `# ` heading.
    pub fn front_matter_title(&self) -> Option<&str> {
        let fm = self.front_matter.as_ref()?;
        fm.entries().find_map(|(_, key, value)| {
            let value = value.trim_matches(['"', '\'']);
            (key == "title" && !value.is_empty()).then_some(value)
        })
    }

    /// Whether `offset` lies inside a code block.
    pub fn in_code(&self, offset: usize) -> bool {
        self.code_range_at(offset).is_some()
    }

    /// The code block (or code span) holding `offset`.
    pub fn code_range_at(&self, offset: usize) -> Option<&Range<usize>> {
        let i = self.code_ranges.partition_point(|r| r.start <= offset);
        self.code_ranges[..i].last().filter(|r| r.contains(&offset))
    }

    /// All sections below `index`, at any depth, in document order.
    pub fn descendants(&self, index: usize) -> impl Iterator<Item = usize> + '_ {
        let span = self.sections[index].span.clone();
        (index + 1..self.sections.len())
            .take_while(move |&i| self.sections[i].heading_span.start < span.end)
    }

    /// Whether section `inner` lies somewhere below `outer`.
    pub fn is_within(&self, inner: usize, outer: usize) -> bool {
        let mut cur = self.sections[inner].parent;
        while let Some(p) = cur {
            if p == outer {
                return true;
            }
            cur = self.sections[p].parent;
        }
        false
    }
}

/// Lines longer than this are looked at by [`defuse_dense_lines`].
const DENSE_LINE_BYTES: usize = 64 * 1024;

/// `text` with the inline markup characters of very long, markup-dense lines replaced
/// by `x`, past each such line's first 256 bytes (where its block markers are), so the
/// copy has the same length, lines and blocks. comrak makes a node or more per
/// bracket, star or backtick and keeps them all until the parse ends: 9.5 MB of `[a](`
/// on one line took 2.1 GB, and a line cannot be cut into pieces. No hand-written line
/// is 64 KiB long with a markup character in every 16 bytes; in such a line, links,
/// emphasis and code spans are read as plain text (placeholders are still found,
/// from the source).
fn defuse_dense_lines(text: &str) -> std::borrow::Cow<'_, str> {
    const MARKUP: &[u8] = b"[]()*_`<>!&\\~";
    if text.len() <= DENSE_LINE_BYTES {
        return std::borrow::Cow::Borrowed(text);
    }
    let mut bytes: Option<Vec<u8>> = None;
    let mut start = 0;
    for end in memchr::memchr_iter(b'\n', text.as_bytes()).chain([text.len()]) {
        let line = &text.as_bytes()[start..end];
        if line.len() > DENSE_LINE_BYTES {
            let dense = line.iter().filter(|b| MARKUP.contains(b)).count() > line.len() / 16;
            if dense {
                let out = bytes.get_or_insert_with(|| text.as_bytes().to_vec());
                for b in &mut out[start + 256..end] {
                    if MARKUP.contains(b) {
                        *b = b'x';
                    }
                }
            }
        }
        start = end + 1;
    }
    match bytes {
        // Only ASCII bytes were replaced, by an ASCII byte: still UTF-8.
        Some(b) => {
            std::borrow::Cow::Owned(String::from_utf8(b).unwrap_or_else(|_| text.to_string()))
        }
        None => std::borrow::Cow::Borrowed(text),
    }
}

/// Documents longer than twice this are parsed in pieces of about this size, cut before
/// an ATX heading at the start of a line: comrak's tree takes some fifty times the
/// text it holds, and only one piece's tree is alive at a time. See `pieces.rs`.
const PIECE_BYTES: usize = 512 * 1024;

fn options<'c>() -> Options<'c> {
    let mut o = Options::default();
    o.extension.strikethrough = true;
    o.extension.table = true;
    o.extension.autolink = true;
    o.extension.tasklist = true;
    o.extension.footnotes = true;
    o.extension.front_matter_delimiter = Some(front_matter::DELIMITER.to_string());
    o.extension.alerts = true;
    o
}

struct Builder<'f> {
    file: &'f SourceFile,
    doc: Document,
    /// Lines before the piece being added (comrak counts lines from its input's start).
    line_offset: usize,
    /// The sections still open, innermost last.
    open: Vec<usize>,
    first_heading_block: Option<usize>,
    /// Reused for each prose leaf's masks before they join [`Document::masks`].
    scratch: Vec<Range<usize>>,
}

impl<'f> Builder<'f> {
    fn new(file: &'f SourceFile) -> Self {
        Builder {
            file,
            doc: Document::default(),
            line_offset: 0,
            open: Vec::new(),
            first_heading_block: None,
            scratch: Vec::new(),
        }
    }

    fn span(&self, sp: &Sourcepos) -> Range<usize> {
        let f = self.file;
        if sp.start.line == 0 {
            return 0..0;
        }
        let start_line = sp.start.line + self.line_offset;
        let end_line = sp.end.line.max(sp.start.line) + self.line_offset;
        // One line's bounds serve both ends of a node on one line (most of them).
        let (start_bounds, end_bounds) = if start_line == end_line {
            let b = f.line_span(start_line);
            (b.clone(), b)
        } else {
            (f.line_span(start_line), f.line_span(end_line))
        };
        let start = f.offset_in(start_bounds, sp.start.column.max(1));
        let mut end = (end_bounds.start + sp.end.column).min(end_bounds.end);
        while end < f.text().len() && !f.text().is_char_boundary(end) {
            end += 1;
        }
        // comrak ends a block that a blank line follows on that blank line when more
        // text comes after it, and before it at the end of its input: the blank tail is
        // trimmed so that a span does not depend on what follows it.
        let text = f.text().as_bytes();
        while end > start && matches!(text[end - 1], b'\n' | b'\r') {
            end -= 1;
        }
        start..end.max(start)
    }

    /// Add one parsed piece (or the whole document): its headings extend the section
    /// tree, then every node of it is read for the inline facts.
    fn add<'a>(&mut self, root: &'a AstNode<'a>) {
        let len = self.file.text().len();
        // Pass 1: top-level blocks and headings make the section tree.
        for node in root.children() {
            let data = node.data();
            let span = self.span(&data.sourcepos);
            match &data.value {
                NodeValue::FrontMatter(text) => {
                    self.doc.front_matter = Some(front_matter(self.file, text, span));
                }
                NodeValue::Heading(h) => {
                    let level = h.level;
                    // A section ends where the next heading of the same or a higher
                    // level starts; one still open runs to the end of the document.
                    while let Some(&top) = self.open.last() {
                        if self.doc.sections[top].level >= level {
                            self.open.pop();
                            let s = &mut self.doc.sections[top];
                            s.span.end = span.start.max(s.heading_span.end);
                        } else {
                            break;
                        }
                    }
                    let parent = self.open.last().copied();
                    let text = inline_text(node);
                    let index = self.doc.sections.len();
                    let marker_span = marker_span(self.file, &span, h.setext);
                    if self.first_heading_block.is_none() {
                        self.first_heading_block = Some(self.doc.blocks.len());
                    }
                    let nblocks = self.doc.blocks.len();
                    self.doc.sections.push(Section {
                        level,
                        norm: normalize_heading_compact(&text),
                        text,
                        setext: h.setext,
                        heading_span: span.clone(),
                        marker_span,
                        span: span.start..len.max(span.end),
                        parent,
                        children: Vec::new(),
                        blocks: nblocks..nblocks,
                    });
                    if let Some(p) = parent {
                        self.doc.sections[p].children.push(index);
                    }
                    self.open.push(index);
                }
                value => {
                    let kind = block_kind(value);
                    let section = self.open.last().and_then(|&s| u32::try_from(s).ok());
                    self.doc.blocks.push(Block {
                        kind,
                        span,
                        section,
                    });
                }
            }
        }
        // Pass 2: every node, for the inline facts.
        self.collect(root);
    }

    fn finish(mut self) -> Document {
        self.doc.preamble_blocks = 0..self.first_heading_block.unwrap_or(self.doc.blocks.len());
        // Own blocks: those whose innermost section is this one.
        let mut i = 0;
        while i < self.doc.blocks.len() {
            if let Some(s) = self.doc.blocks[i].section {
                let start = i;
                while i < self.doc.blocks.len() && self.doc.blocks[i].section == Some(s) {
                    i += 1;
                }
                self.doc.sections[s as usize].blocks = start..i;
            } else {
                i += 1;
            }
        }
        // Rules binary-search these by position.
        self.doc
            .code_ranges
            .sort_by_key(|r: &Range<usize>| (r.start, r.end));
        self.doc.fields.sort_by_key(|f| f.label_span.start);
        self.doc.prose.sort_by_key(|p| p.span.start);
        self.doc.comments.sort_by_key(|c| c.span.start);
        self.doc.comments.dedup_by_key(|c| c.span.start);
        self.doc.link_definitions = link_definitions(self.file, &self.doc);
        self.doc.shrink_to_fit();
        self.doc
    }

    fn collect<'a>(&mut self, root: &'a AstNode<'a>) {
        let mut list_depth = 0u32;
        let mut ordered_stack: Vec<bool> = Vec::new();
        // The prose leaf (paragraph, table cell or heading) being walked: the inline
        // ranges inside it that are not prose are gathered on the way through, in the
        // same walk, and the leaf is recorded at its end. Prose leaves do not nest.
        let mut leaf: Option<(&'a AstNode<'a>, Range<usize>, bool)> = None;
        for edge in root.traverse() {
            let node = match edge {
                NodeEdge::Start(n) => n,
                NodeEdge::End(n) => {
                    if leaf.as_ref().is_some_and(|(l, _, _)| std::ptr::eq(*l, n)) {
                        if let Some((_, span, in_heading)) = leaf.take() {
                            self.prose(span, in_heading);
                        }
                    } else if matches!(n.data().value, NodeValue::List(_)) {
                        list_depth = list_depth.saturating_sub(1);
                        ordered_stack.pop();
                    }
                    continue;
                }
            };
            let data = node.data();
            // Text, emphasis, breaks and the like (most nodes) record nothing here.
            let records = matches!(
                data.value,
                NodeValue::Item(_)
                    | NodeValue::TaskItem(_)
                    | NodeValue::CodeBlock(_)
                    | NodeValue::Paragraph
                    | NodeValue::TableCell
                    | NodeValue::Heading(_)
                    | NodeValue::HtmlBlock(_)
                    | NodeValue::HtmlInline(_)
                    | NodeValue::Link(_)
                    | NodeValue::Image(_)
                    | NodeValue::Code(_)
            );
            let span = if records {
                self.span(&data.sourcepos)
            } else {
                0..0
            };
            if leaf.is_some() {
                let masks = match data.value {
                    NodeValue::Code(_)
                    | NodeValue::Link(_)
                    | NodeValue::Image(_)
                    | NodeValue::HtmlInline(_) => Some(span.clone()),
                    NodeValue::FootnoteReference(_)
                    | NodeValue::Math(_)
                    | NodeValue::WikiLink(_) => Some(self.span(&data.sourcepos)),
                    _ => None,
                };
                if let Some(r) = masks.filter(|r| !r.is_empty()) {
                    self.scratch.push(r);
                }
            }
            match &data.value {
                NodeValue::List(l) => {
                    list_depth += 1;
                    ordered_stack.push(l.list_type == ListType::Ordered);
                }
                NodeValue::Item(_) | NodeValue::TaskItem(_) => {
                    let lead_span = node.first_child().and_then(|c| {
                        let d = c.data();
                        matches!(d.value, NodeValue::Paragraph).then(|| self.span(&d.sourcepos))
                    });
                    self.doc.list_items.push(ListItem::new(
                        span.clone(),
                        lead_span,
                        list_depth,
                        ordered_stack.last().copied().unwrap_or(false),
                        matches!(data.value, NodeValue::TaskItem(_)),
                    ));
                }
                NodeValue::CodeBlock(cb) => {
                    let block = code_block(cb, &span, self.file);
                    self.doc.code_ranges.push(span.clone());
                    self.doc.code_blocks.push((block, span.clone()));
                }
                NodeValue::Paragraph | NodeValue::TableCell => {
                    drop(data);
                    self.scratch.clear();
                    leaf = Some((node, span.clone(), false));
                    self.field(node);
                }
                NodeValue::Heading(_) => {
                    self.scratch.clear();
                    leaf = Some((node, span.clone(), true));
                }
                NodeValue::HtmlBlock(h) => {
                    // The block's span starts after its indentation; its literal does not.
                    let lead = h.literal.len() - h.literal.trim_start_matches([' ', '\t']).len();
                    let line_start = self.file.line_span(self.file.line_of(span.start)).start;
                    let base = span.start.saturating_sub(lead).max(line_start);
                    push_comments(&mut self.doc.comments, &h.literal, base, self.file);
                }
                NodeValue::HtmlInline(h) => {
                    push_comments(&mut self.doc.comments, h, span.start, self.file);
                }
                NodeValue::Link(l) | NodeValue::Image(l) => {
                    self.doc.links.push(Link {
                        url: l.url.as_str().into(),
                        span: span.clone(),
                        image: matches!(data.value, NodeValue::Image(_)),
                    });
                }
                NodeValue::Code(c) => {
                    self.doc.code_spans.push(CodeSpan {
                        text: c.literal.as_str().into(),
                        span: span.clone(),
                    });
                }
                _ => {}
            }
        }
    }

    /// Record a prose leaf, with the inline ranges inside it that are not prose (in
    /// `scratch`, gathered by [`Builder::collect`]).
    fn prose(&mut self, span: Range<usize>, in_heading: bool) {
        let mut masked = std::mem::take(&mut self.scratch);
        if in_heading {
            // The `#` run and the setext underline are not prose.
            let i = self
                .doc
                .sections
                .partition_point(|s| s.heading_span.start < span.start);
            let sec_marker = self
                .doc
                .sections
                .get(i)
                .filter(|s| s.heading_span == span)
                .map(|s| s.marker_span.clone());
            if let Some(m) = sec_marker {
                masked.push(m);
            }
        }
        masked.sort_by_key(|r| r.start);
        // More than four billion masks cannot come from a document archlint reads
        // (each takes at least two bytes of it); saturate rather than wrap if one did.
        let first = u32::try_from(self.doc.masks.len()).unwrap_or(u32::MAX);
        self.doc.masks.append(&mut masked);
        let last = u32::try_from(self.doc.masks.len()).unwrap_or(u32::MAX);
        self.scratch = masked;
        self.doc.prose.push(Prose {
            span,
            masks: first..last,
            in_heading,
        });
    }

    /// `**Label**: value` or `**Label:** value` at the start of a paragraph, or of a
    /// line of one: a header's `**Version**: 2.1` and `**Status**: Draft` are often
    /// consecutive lines of one paragraph. A value runs to the next field's label.
    fn field<'a>(&mut self, node: &'a AstNode<'a>) {
        // Strong text that starts a line: most paragraphs have none, and cost no span.
        let mut para_end = None;
        let mut at_line_start = true;
        let mut previous: Option<usize> = None;
        // A paragraph on one line can hold a field only at its start.
        let one_line = {
            let sp = &node.data().sourcepos;
            sp.start.line == sp.end.line
        };
        for child in node.children() {
            let strong = {
                let value = &child.data().value;
                let strong = at_line_start && matches!(value, NodeValue::Strong);
                at_line_start = matches!(value, NodeValue::SoftBreak | NodeValue::LineBreak);
                strong
            };
            if !strong {
                if one_line {
                    break;
                }
                continue;
            }
            let end = *para_end.get_or_insert_with(|| self.span(&node.data().sourcepos).end);
            let Some((label, label_span, value_start)) = self.field_at(child, end) else {
                continue;
            };
            // The previous field's value ends where this label starts.
            if let Some(p) = previous {
                let f = &mut self.doc.fields[p];
                f.value_span.end = label_span.start.max(f.value_span.start);
            }
            previous = Some(self.doc.fields.len());
            self.doc.fields.push(Field {
                norm: normalize_label_compact(&label),
                label,
                label_span,
                value_span: value_start..end,
            });
        }
    }

    /// The label, its span and where its value starts, if the strong node `strong`
    /// begins a field.
    fn field_at<'a>(
        &mut self,
        strong: &'a AstNode<'a>,
        para_end: usize,
    ) -> Option<(CompactString, Range<usize>, usize)> {
        let mut label = inline_text(strong);
        let strong_span = self.span(&strong.data().sourcepos);
        let text = self.file.text();
        let mut value_start = strong_span.end;
        if label.ends_with(':') {
            // inline_text's text is trimmed already.
            label.truncate(label.trim_end_matches(':').len());
        } else {
            // The colon may follow the closing `**`.
            let rest = text.get(strong_span.end..para_end).unwrap_or("");
            let trimmed = rest.trim_start_matches([' ', '\t']);
            let after = trimmed.strip_prefix(':')?;
            value_start = para_end - after.len();
        }
        label.truncate(label.trim_end().len());
        if label.starts_with(char::is_whitespace) {
            label = label.trim_start().into();
        }
        if label.is_empty() || label.len() > 80 {
            return None;
        }
        Some((label, strong_span, value_start.min(para_end)))
    }
}

fn block_kind(value: &NodeValue) -> BlockKind {
    match value {
        NodeValue::Paragraph => BlockKind::Paragraph,
        NodeValue::List(_) => BlockKind::List,
        NodeValue::Table(_) => BlockKind::Table,
        NodeValue::CodeBlock(_) => BlockKind::Code,
        NodeValue::HtmlBlock(h) => BlockKind::Html {
            comment: is_only_comments(&h.literal),
        },
        NodeValue::ThematicBreak => BlockKind::ThematicBreak,
        NodeValue::BlockQuote | NodeValue::MultilineBlockQuote(_) | NodeValue::Alert(_) => {
            BlockKind::BlockQuote
        }
        NodeValue::FootnoteDefinition(_) => BlockKind::FootnoteDefinition,
        _ => BlockKind::Other,
    }
}

fn code_block(
    cb: &comrak::nodes::NodeCodeBlock,
    span: &Range<usize>,
    file: &SourceFile,
) -> CodeBlock {
    let info = CompactString::from(cb.info.trim());
    let mut lang = CompactString::from(
        info.split(|c: char| c.is_whitespace() || c == '{' || c == ',')
            .next()
            .unwrap_or("")
            .trim_start_matches('.'),
    );
    lang.make_ascii_lowercase();
    let start_line = file.line_of(span.start);
    let end_line = file.line_of(span.end.saturating_sub(1).max(span.start));
    let (body_line, body_end_line) = if cb.fenced {
        let last = if cb.closed && end_line > start_line {
            end_line - 1
        } else {
            end_line
        };
        (start_line + 1, last)
    } else {
        (start_line, end_line)
    };
    let body_span = if body_line > body_end_line {
        let at = file.line_span(body_line.min(file.line_count())).start;
        at..at
    } else {
        file.line_span(body_line).start..file.line_span(body_end_line).end
    };
    CodeBlock {
        fenced: cb.fenced,
        info,
        lang,
        literal: cb.literal.clone(),
        body_span,
        body_line,
        closed: cb.closed,
    }
}

fn front_matter(file: &SourceFile, text: &str, span: Range<usize>) -> FrontMatter {
    let body: Vec<&str> = front_matter::split(text)
        .map_or("", |s| &text[s.body])
        .lines()
        .collect();
    FrontMatter {
        span: span.start..(span.start + text.len()).min(file.text().len()),
        body: body.join("\n"),
        body_line: file.line_of(span.start) + 1,
    }
}

fn marker_span(file: &SourceFile, span: &Range<usize>, setext: bool) -> Range<usize> {
    let text = file.text().get(span.clone()).unwrap_or("");
    if setext {
        let last_line = file.line_of(span.end.saturating_sub(1).max(span.start));
        let ls = file.line_span(last_line);
        let t = file.text().get(ls.clone()).unwrap_or("");
        let lead = t.len() - t.trim_start().len();
        (ls.start + lead)..ls.end
    } else {
        let lead = text.len() - text.trim_start().len();
        let hashes = text[lead..].bytes().take_while(|&b| b == b'#').count();
        (span.start + lead)..(span.start + lead + hashes)
    }
}

/// HTML elements, so that `<details open>` is markup and `<Name of block>` is not.
#[rustfmt::skip]
pub const HTML_ELEMENTS: &[&str] = &[
    "a", "abbr", "address", "article", "aside", "audio", "b", "bdi", "bdo", "big",
    "blockquote", "body", "br", "button", "canvas", "caption", "center", "cite", "code",
    "col", "colgroup", "data", "dd", "del", "details", "dfn", "dialog", "div", "dl", "dt",
    "em", "embed", "fieldset", "figcaption", "figure", "font", "footer", "form", "h1", "h2",
    "h3", "h4", "h5", "h6", "head", "header", "hr", "html", "i", "iframe", "img", "input",
    "ins", "kbd", "label", "legend", "li", "link", "main", "map", "mark", "meta", "meter",
    "nav", "noscript", "object", "ol", "optgroup", "option", "output", "p", "param",
    "picture", "pre", "progress", "q", "rp", "rt", "ruby", "s", "samp", "script", "section",
    "select", "small", "source", "span", "strike", "strong", "style", "sub", "summary",
    "sup", "svg", "table", "tbody", "td", "template", "textarea", "tfoot", "th", "thead",
    "time", "title", "tr", "track", "tt", "u", "ul", "var", "video", "wbr",
];

/// Whether inline HTML is an element's tag (`<a name="x">`, `</a>`, `<br/>`), which a
/// reader does not see, rather than text in angle brackets (`<Name of building block>`).
fn is_element_tag(h: &str) -> bool {
    let inner = h
        .strip_prefix('<')
        .and_then(|s| s.strip_suffix('>'))
        .unwrap_or(h);
    let inner = inner.strip_prefix('/').unwrap_or(inner);
    let name_len = inner.bytes().take_while(u8::is_ascii_alphanumeric).count();
    let (name, rest) = inner.split_at(name_len);
    (rest.is_empty() || rest.starts_with(|c: char| c.is_whitespace() || c == '/'))
        && HTML_ELEMENTS.contains(&name.to_ascii_lowercase().as_str())
}

/// The text a reader sees in an inline container (no recursion: documents may nest deeply).
fn inline_text<'a>(node: &'a AstNode<'a>) -> CompactString {
    // Most headings and labels fit the inline 24 bytes: no allocation.
    let mut out = CompactString::default();
    for d in node.descendants() {
        match &d.data().value {
            NodeValue::Text(t) => out.push_str(t),
            NodeValue::Code(c) => out.push_str(&c.literal),
            NodeValue::SoftBreak | NodeValue::LineBreak => out.push(' '),
            NodeValue::HtmlInline(h) if !h.starts_with("<!--") && !is_element_tag(h) => {
                out.push_str(h)
            }
            _ => {}
        }
    }
    // Trimmed in place: most texts have nothing to trim, and a copy was an allocation
    // for every heading and field.
    out.truncate(out.trim_end().len());
    let lead = out.len() - out.trim_start().len();
    if lead > 0 {
        out = CompactString::from(&out[lead..]);
    }
    out
}

static LINK_DEFINITION: std::sync::LazyLock<regex::Regex> = std::sync::LazyLock::new(|| {
    #[allow(clippy::unwrap_used)] // a literal pattern, checked by the tests
    // Unbounded here, with the 999-character limit checked in code: a bounded repeat
    // compiles to an automaton a thousand states long.
    regex::Regex::new(r"^\[([^\]\^\[][^\]\[]*)\]:[ \t]*(?:<([^<>\n]*)>|(\S+))").unwrap()
});

/// Link reference definitions, from the source lines (see [`LinkDefinition`]).
fn link_definitions(file: &SourceFile, doc: &Document) -> Vec<LinkDefinition> {
    definition_lines(file, |span, _| {
        doc.in_code(span.start)
            || doc
                .front_matter
                .as_ref()
                .is_some_and(|f| f.span.contains(&span.start))
            || {
                // Comments are sorted and disjoint: one binary search per line.
                let i = doc.comments.partition_point(|c| c.span.start <= span.start);
                i > 0 && span.start < doc.comments[i - 1].span.end
            }
    })
}

/// The lines that hold a link reference definition, where one may start (not in the
/// middle of a paragraph). `hidden(line span, line)` says which lines are code,
/// comments or front matter; it is asked once per line, in order.
fn definition_lines(
    file: &SourceFile,
    mut hidden: impl FnMut(&Range<usize>, &str) -> bool,
) -> Vec<LinkDefinition> {
    let text = file.text();
    let mut out = Vec::new();
    // Every definition holds `]:` (its label's end and the colon after it); most
    // documents have none, and need no walk over their lines.
    if memchr::memmem::find(text.as_bytes(), b"]:").is_none() {
        return out;
    }
    // Whether the previous line ended a paragraph-free stretch: a definition cannot
    // interrupt a paragraph.
    let mut may_start = true;
    let mut prev_quoted = false;
    for line in 1..=file.line_count() {
        let span = file.line_span(line);
        let raw = &text[span.clone()];
        let hidden = hidden(&span, raw);
        // Block-quote markers and indentation are containers, not content.
        let mut body = raw.trim_start();
        let quoted = body.starts_with('>');
        // A block quote interrupts a paragraph: its first line starts afresh.
        if quoted && !prev_quoted {
            may_start = true;
        }
        prev_quoted = quoted;
        while let Some(rest) = body.strip_prefix('>') {
            body = rest.trim_start();
        }
        if hidden {
            may_start = true;
            continue;
        }
        if body.is_empty() {
            may_start = true;
            continue;
        }
        // A label is at most 999 characters (CommonMark); checked here, not in the regex.
        let caps = if may_start && body.starts_with('[') {
            LINK_DEFINITION
                .captures(body)
                .filter(|c| c.get(1).is_some_and(|l| l.as_str().chars().count() <= 999))
                // A destination is followed by a title or nothing: `> [Name]: some words`
                // is a sentence, not a definition.
                .filter(|c| {
                    let rest = body[c.get(0).map_or(0, |m| m.end())..].trim();
                    rest.is_empty() || rest.starts_with(['"', '\'', '('])
                })
        } else {
            None
        };
        let Some(caps) = caps else {
            // Headings, setext underlines and thematic breaks end a paragraph at once; other
            // text continues one.
            may_start = opens_atx_heading(body.as_bytes())
                || body
                    .chars()
                    .all(|c| matches!(c, '-' | '*' | '_' | '=' | ' '));
            continue;
        };
        let body_start = span.start + (raw.len() - body.len());
        let Some(target) = caps.get(2).or(caps.get(3)) else {
            continue;
        };
        out.push(LinkDefinition {
            label: caps
                .get(1)
                .map(|m| m.as_str().to_string())
                .unwrap_or_default(),
            url: unescape_destination(target.as_str()),
            url_span: body_start + target.start()..body_start + target.end(),
            span: span.clone(),
        });
        may_start = true;
    }
    out
}

/// Whether a line (after its indentation) opens an ATX heading: one to six `#` and
/// then a space, a tab or the end of the line.
fn opens_atx_heading(line: &[u8]) -> bool {
    let hashes = line.iter().take_while(|&&b| b == b'#').count();
    (1..=6).contains(&hashes)
        && line
            .get(hashes)
            .is_none_or(|b| matches!(b, b' ' | b'\t' | b'\r' | b'\n'))
}

/// Backslash escapes and the character references a link destination may hold.
fn unescape_destination(s: &str) -> String {
    if !s.contains(['\\', '&']) {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(c) = rest.chars().next() {
        if c == '\\' {
            if let Some(next) = rest[1..]
                .chars()
                .next()
                .filter(|n| n.is_ascii_punctuation())
            {
                out.push(next);
                rest = &rest[1 + next.len_utf8()..];
                continue;
            }
        } else if c == '&' {
            if let Some((ch, len)) = char_reference(rest) {
                out.push(ch);
                rest = &rest[len..];
                continue;
            }
        }
        out.push(c);
        rest = &rest[c.len_utf8()..];
    }
    out
}

/// `&#32;`, `&#x20;` and the few named references seen in paths.
fn char_reference(s: &str) -> Option<(char, usize)> {
    let end = s.find(';')?;
    let name = &s[1..end];
    let ch = if let Some(num) = name.strip_prefix('#') {
        let code = match num.strip_prefix(['x', 'X']) {
            Some(hex) => u32::from_str_radix(hex, 16).ok()?,
            None => num.parse().ok()?,
        };
        char::from_u32(code)?
    } else {
        match name {
            "amp" => '&',
            "lt" => '<',
            "gt" => '>',
            "quot" => '"',
            "apos" => '\'',
            "nbsp" => '\u{a0}',
            _ => return None,
        }
    };
    Some((ch, end + 1))
}

fn is_only_comments(html: &str) -> bool {
    let mut rest = html.trim();
    while let Some(after) = rest.strip_prefix("<!--") {
        match after.find("-->") {
            Some(end) => rest = after[end + 3..].trim_start(),
            None => return true,
        }
    }
    rest.is_empty()
}

fn push_comments(out: &mut Vec<Comment>, html: &str, base: usize, file: &SourceFile) {
    let mut from = 0;
    while let Some(open) = html[from..].find("<!--") {
        let open = from + open;
        let body_start = open + 4;
        // An unclosed comment runs to the end of its HTML, but not over the line
        // ending there: a comment's span stays on the lines it is written on.
        let (body_end, close) = match html[body_start..].find("-->") {
            Some(e) => (body_start + e, body_start + e + 3),
            None => {
                let end = html.trim_end_matches(['\n', '\r']).len().max(body_start);
                (end, end)
            }
        };
        let start = (base + open).min(file.text().len());
        let end = (base + close).min(file.text().len());
        out.push(Comment {
            body: html[body_start..body_end].trim().to_string(),
            span: start..end,
        });
        from = close;
        if from >= html.len() {
            break;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(text: &str) -> (SourceFile, Document) {
        let f = SourceFile::new("t.md", text);
        let d = Document::parse(&f);
        (f, d)
    }

    #[test]
    fn prose_leaves_mask_what_is_not_prose() {
        let text = "# Title `code` here\n\n\
                    Text *with `a span` and [a link](x.md)* and <b>tag</b>[^1] ![i](p.png).\n\n\
                    | a | b |\n| --- | --- |\n| [c](c.md) | plain |\n\n\
                    - item `x`\n\n[^1]: note\n";
        let (f, d) = doc(text);
        let masked: Vec<(bool, &str, Vec<&str>)> = d
            .prose
            .iter()
            .map(|p| {
                let masks = d.masked(p).iter().map(|r| &f.text()[r.clone()]).collect();
                (p.in_heading, &f.text()[p.span.clone()], masks)
            })
            .collect();
        assert_eq!(
            masked,
            [
                (true, "# Title `code` here", vec!["#", "`code`"]),
                (
                    false,
                    "Text *with `a span` and [a link](x.md)* and <b>tag</b>[^1] ![i](p.png).",
                    vec![
                        "`a span`",
                        "[a link](x.md)",
                        "<b>",
                        "</b>",
                        "[^1]",
                        "![i](p.png)"
                    ]
                ),
                (false, " a ", vec![]),
                (false, " b ", vec![]),
                (false, " [c](c.md) ", vec!["[c](c.md)"]),
                (false, " plain ", vec![]),
                (false, "item `x`", vec!["`x`"]),
                (false, "note", vec![]),
            ]
        );
    }

    #[test]
    fn sections_nest_by_level() {
        let (_, d) = doc("# T\n\n## A\n\ntext\n\n### A1\n\n## B\n");
        let names: Vec<_> = d.sections.iter().map(|s| s.text.as_str()).collect();
        assert_eq!(names, ["T", "A", "A1", "B"]);
        assert_eq!(d.sections[2].parent, Some(1));
        assert_eq!(d.sections[3].parent, Some(0));
        assert_eq!(d.sections[1].blocks.len(), 1);
    }

    #[test]
    fn headings_in_code_comments_and_front_matter_are_not_headings() {
        let (_, d) =
            doc("---\ntitle: x\n# no\n---\n\n# Real\n\n```\n# no\n```\n\n<!--\n# no\n-->\n");
        assert_eq!(d.sections.len(), 1);
        assert!(d.front_matter.is_some());
    }

    #[test]
    fn setext_headings_count() {
        let (f, d) = doc("Title\n=====\n\nSub\n---\n");
        assert_eq!(d.sections.len(), 2);
        assert_eq!(d.sections[1].level, 2);
        assert_eq!(&f.text()[d.sections[1].marker_span.clone()], "---");
    }

    #[test]
    fn crlf_and_multibyte_spans_are_exact() {
        let (f, d) = doc("# Tïtle\r\n\r\n## Dätä Flow\r\n\r\nbody\r\n");
        let s = &d.sections[1];
        assert_eq!(&f.text()[s.heading_span.clone()], "## Dätä Flow");
        assert_eq!(f.locate(s.heading_span.start).line, 3);
    }

    #[test]
    fn fields_take_both_colon_placements() {
        let (f, d) = doc("- **Purpose**: a\n- **Status:** b\n\n**Key Goals:**\n- x\n");
        let labels: Vec<_> = d.fields.iter().map(|x| x.label.as_str()).collect();
        assert_eq!(labels, ["Purpose", "Status", "Key Goals"]);
        assert_eq!(f.text()[d.fields[0].value_span.clone()].trim(), "a");
    }

    #[test]
    fn unclosed_fence_runs_to_the_end() {
        let (_, d) = doc("# T\n\n```mermaid\ngraph TD\n");
        assert_eq!(d.code_blocks.len(), 1);
        assert!(!d.code_blocks[0].0.closed);
        assert_eq!(d.code_blocks[0].0.lang, "mermaid");
    }

    #[test]
    fn link_definitions_are_found_outside_code_and_paragraphs() {
        let (f, d) = doc("# T\n\n[a]: ../src/a.rs\n[b]: <docs/b c.md> \"t\"\n\ntext\n[c]: no.md\n\n```\n[d]: code.md\n```\n\n[^1]: note\n> [e]: quoted.md\n");
        let urls: Vec<_> = d.link_definitions.iter().map(|l| l.url.as_str()).collect();
        assert_eq!(urls, ["../src/a.rs", "docs/b c.md", "quoted.md"]);
        assert_eq!(
            &f.text()[d.link_definitions[1].url_span.clone()],
            "docs/b c.md"
        );
        assert_eq!(d.link_definitions[0].label, "a");
        let (_, d) = doc("[h]: ../src/Header&#32;Files/a\\_b.h\n");
        assert_eq!(d.link_definitions[0].url, "../src/Header Files/a_b.h");
    }

    #[test]
    fn indented_comment_blocks_have_exact_spans() {
        for text in [
            " <!-- x -->é\n",
            "   <!-- x -->\n\ntext\n",
            "> <!-- x -->\n",
            ">  <!-- x -->\n",
        ] {
            let (f, d) = doc(text);
            assert_eq!(d.comments.len(), 1, "{text:?}");
            assert_eq!(
                &f.text()[d.comments[0].span.clone()],
                "<!-- x -->",
                "{text:?}"
            );
        }
    }

    #[test]
    fn comments_are_collected() {
        let (_, d) = doc("<!-- archlint-disable placeholder -->\n\ntext <!-- x --> more\n");
        let bodies: Vec<_> = d.comments.iter().map(|c| c.body.as_str()).collect();
        assert_eq!(bodies, ["archlint-disable placeholder", "x"]);
    }
}
