//! Unit tests: messages, line numbers, robustness.

use super::{check, check_without_fast_path, diagram_kind, MermaidError};

fn err(body: &str) -> MermaidError {
    match check(body) {
        Some(e) => e,
        None => panic!("expected an error for {body:?}"),
    }
}

fn ok(body: &str) {
    if let Some(e) = check(body) {
        panic!("expected no error for {body:?}, got {e:?}");
    }
}

#[test]
fn diagram_kinds() {
    assert_eq!(diagram_kind("flowchart TD\nA-->B"), Some("flowchart"));
    assert_eq!(diagram_kind("graph LR;\nA-->B"), Some("graph"));
    assert_eq!(
        diagram_kind("\n%% c\n---\ntitle: x\n---\nsequenceDiagram\n"),
        Some("sequenceDiagram")
    );
    assert_eq!(
        diagram_kind("%%{init: {}}%%\nclassDiagram-v2\n"),
        Some("classDiagram-v2")
    );
    assert_eq!(diagram_kind("stateDiagram-v2\n"), Some("stateDiagram-v2"));
    assert_eq!(diagram_kind("C4Container\n"), Some("C4Container"));
    assert_eq!(diagram_kind("sankey-beta\n"), Some("sankey-beta"));
    assert_eq!(diagram_kind("flowchar TD\n"), None);
    assert_eq!(diagram_kind(""), None);
}

#[test]
fn unknown_keyword() {
    let e = err("flowchar TD\n    A --> B");
    assert_eq!(e.line, 0);
    assert_eq!(e.message, "unknown diagram type `flowchar`");
    let e = err("\n\n  grpah LR\n");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "unknown diagram type `grpah`")
    );
    assert_eq!(
        err("graphs TD\nA-->B").message,
        "unknown diagram type `graphs`"
    );
    assert_eq!(err("").line, 0);
}

#[test]
fn front_matter_and_directives() {
    ok("---\ntitle: Payments\n---\nflowchart LR\n  A --> B\n");
    ok("%%{init: {\"theme\": \"dark\"}}%%\n%% comment\nflowchart LR\n  A --> B");
    ok("flowchart LR\r\n    A[Web App] --> B[(Postgres)]\r\n");
    let e = err("---\ntitle: x\nflowchart LR\n  A --> B");
    assert_eq!(e.line, 0);
    assert!(e.message.contains("front matter"), "{}", e.message);
}

#[test]
fn flowchart_messages() {
    let e = err("flowchart LR\n    A[Web App --> B[(Postgres)]");
    assert_eq!(
        (e.line, e.message.as_str()),
        (1, "unbalanced `[` in node `A[Web App`")
    );
    let e = err("flowchart LR\n  A --> B\n  B -->");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "edge `-->` has no target node")
    );
    let e = err("flowchart TD\n  A --> B\n  subgraph cloud\n    C --> D\n");
    assert_eq!(e.line, 2);
    assert_eq!(
        e.message,
        "`subgraph` opened on line 3 is never closed with `end`"
    );
    let e = err("flowchart TD\n  A --> B\n  end");
    assert_eq!(
        (e.line, e.message.as_str()),
        (2, "`end` has no matching `subgraph`")
    );
    let e = err("graph TD\n  A[a (b) c] --> B");
    assert_eq!(e.line, 1);
    assert!(
        e.message
            .starts_with("unquoted `(` inside the label of node `A`"),
        "{}",
        e.message
    );
    let e = err("flowchart XY\n  A --> B");
    assert!(e.message.contains("`XY`"), "{}", e.message);
    let e = err("flowchart LR\n  A --> B %% note");
    assert!(e.message.contains("%%"), "{}", e.message);
    let e = err("flowchart LR\n  A --> end");
    assert!(e.message.contains("reserved"), "{}", e.message);
    let e = err("flowchart LR\n  A --> B\n  linkStyle 1 stroke:#f00");
    assert_eq!(e.line, 2);
    assert!(e.message.starts_with("`linkStyle 1`"), "{}", e.message);
    ok("flowchart LR\n  A & B --> C\n  linkStyle 1 stroke:#f00");
}

#[test]
fn flowchart_valid_forms() {
    ok("flowchart LR\n  A[Web App] --> B[(Postgres)]\n  B --> K{{Kafka}}\n  K --> X[[Acquirer]]\n  X -->|no| Y");
    ok("flowchart LR\n  A & B --> C & D\n  A[\"a [b] c\"] --> B[\"`**bold**`\"]\n  C[\"#quot;q#quot;\"]");
    ok("flowchart TD\n  subgraph s [S]\n    direction LR\n    A --> B\n  end\n  classDef x fill:#f96;\n  class A x\n  style B fill:#bbf\n  linkStyle 0 stroke:#f00\n  click A \"https://x.io\"");
    ok("flowchart TD\n  accTitle: t\n  accDescr: d\n  A -- text --> B -. t .-> C == t ==> D");
    ok("flowchart TD\n  A -->\n  B");
    ok("flowchart TD\n  A@{ shape: cyl, label: \"DB\" } --> B");
}

#[test]
fn sequence_messages() {
    let e = err("sequenceDiagram\n  loop every minute\n    A->>B: ping\n");
    assert_eq!(e.line, 1);
    assert_eq!(
        e.message,
        "`loop` opened on line 2 is never closed with `end`"
    );
    let e = err("sequenceDiagram\n  A->>B: x\n  else nope\n");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("`else`"), "{}", e.message);
    let e = err("sequenceDiagram\n  A->>B");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("missing its text"), "{}", e.message);
    let e = err("sequenceDiagram\n  A=>B: hi");
    assert!(e.message.starts_with("invalid arrow"), "{}", e.message);
    ok("sequenceDiagram\n  participant A as Alice\n  A->>+B: hi\n  B-->>-A: ok\n  alt x\n    A->>B: y\n  else z\n    A-)B: w\n  end");
}

/// The fault and its line, where Mermaid's parse fails later (#18's example: a label
/// that lost its `]` runs on into the next line).
#[test]
fn a_label_that_runs_on_is_reported_where_its_closer_is_missing() {
    let e = err("flowchart TD\n    User[User] --> API\n    API[Flask API\n    API --> DB[(Postgres)]\n    API --> Cache[(Redis)]");
    assert_eq!(e.line, 2, "{}", e.message);
    assert!(
        e.message
            .starts_with("`[` of node `API` is never closed with `]`"),
        "{}",
        e.message
    );
    let e = err("gitGraph\n  commit id: \"one\n  commit id: \"two\"\n  commit");
    assert_eq!(e.line, 1, "{}", e.message);
    assert!(e.message.contains("runs on"), "{}", e.message);
    let e = err("erDiagram\n  CUSTOMER {\n    string\n    int age\n  }");
    assert_eq!(e.line, 2, "{}", e.message);
    assert!(e.message.contains("`string` has no name"), "{}", e.message);
}

#[test]
fn class_state_er_c4_messages() {
    // Reported where the `}` belongs, naming the line that opened the body.
    let e = err("classDiagram\n  class Order {\n    +id\n");
    assert_eq!(e.line, 3);
    assert!(
        e.message.contains("on line 2 is never closed"),
        "{}",
        e.message
    );
    let e = err("classDiagram\n  A <|-- ");
    assert_eq!(
        (e.line, e.message.as_str()),
        (
            1,
            "a relation needs a class after it, found the end of the line"
        )
    );
    let e = err("classDiagram\n  class Shape\n  Shape : draw)\n");
    assert_eq!(e.line, 2);
    assert!(e.message.contains("`draw)`"), "{}", e.message);
    let e = err("stateDiagram-v2\n  state Active {\n    [*] --> Working\n");
    assert_eq!(e.line, 3);
    assert!(e.message.contains("`Active`"), "{}", e.message);
    let e = err("stateDiagram-v2\n  Pending-Payment --> Paid");
    assert!(e.message.contains("`-`"), "{}", e.message);
    let e = err("erDiagram\n  CUSTOMER ||--o{ ORDER\n");
    assert_eq!(e.line, 1);
    assert!(e.message.contains("needs `: label`"), "{}", e.message);
    let e = err("erDiagram\n  CUSTOMER ||--o{ ORDER : has many\n");
    assert!(e.message.contains("`many`"), "{}", e.message);
    let e = err("C4Context\n  Persn(a, \"A\")\n");
    assert_eq!((e.line, e.message.contains("`Persn`")), (1, true));
    let e = err("C4Context\n  System_Boundary(b, \"B\") {\n    System(s, \"S\")\n");
    assert_eq!(e.line, 1);
    ok("C4Context\n  Person(a, \"A\")\n  System_Boundary(b, \"B\") {\n    System(s, \"S\")\n  }\n  Rel(a, s, \"uses\", \"HTTPS\")");
}

/// A tiny deterministic generator for robustness inputs.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
}

#[test]
fn arbitrary_text_never_panics() {
    let pieces = [
        "flowchart TD\n",
        "sequenceDiagram\n",
        "classDiagram\n",
        "stateDiagram-v2\n",
        "erDiagram\n",
        "C4Context\n",
        "pie\n",
        "gitGraph\n",
        "A",
        "-->",
        "[",
        "]",
        "(",
        ")",
        "{",
        "}",
        "|",
        "\"",
        "`",
        "\n",
        " ",
        "%%",
        "%%{init: {}}%%",
        "---\n",
        "é",
        "東",
        "🚀",
        "\r\n",
        "\r",
        ";",
        ":",
        "#quot;",
        "end",
        "subgraph",
        "loop",
        "else",
        "note",
        "->>",
        "||--o{",
        "@{",
        "Person(",
        "direction LR",
        "\t",
        "\u{2028}",
        "\u{feff}",
        "&",
        "=",
        ".",
        "-",
        "o",
        "x",
        "<",
        ">",
        "\\",
        "/",
    ];
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15);
    for _ in 0..4000 {
        let n = (rng.next() % 40) as usize;
        let mut s = String::new();
        for _ in 0..n {
            s.push_str(pieces[(rng.next() % pieces.len() as u64) as usize]);
        }
        let _ = check(&s);
        let _ = diagram_kind(&s);
    }
}

#[test]
fn large_inputs_are_linear() {
    let start = std::time::Instant::now();
    let mb = 1 << 20;
    let bodies = [
        format!(
            "flowchart TD\n{}",
            "A[Web App] --> B[(DB)]\n".repeat(mb / 24)
        ),
        format!("flowchart TD\nA{}B", " \n".repeat(mb / 2)),
        format!("flowchart TD\nA -- {}", "a ".repeat(mb / 2)),
        format!("flowchart TD\n{}", "a@".repeat(mb / 2)),
        format!("sequenceDiagram\n{}", "A->>B: hi;".repeat(mb / 10)),
        format!("classDiagram\n{}", "A <|-- B\n".repeat(mb / 9)),
        format!("stateDiagram-v2\n{}", "A --> \n".repeat(mb / 7)),
        format!("erDiagram\n{}", "A ||--o{ B : x\n".repeat(mb / 15)),
        format!(
            "erDiagram\n{}",
            "A {\n string b PK \"c\"\n}\n".repeat(mb / 25)
        ),
        format!(
            "gitGraph\n{}",
            "commit\nbranch b\ncheckout main\nmerge b\n".repeat(mb / 40)
        ),
        format!(
            "architecture-beta\n{}",
            "service a(server)[A]\n".repeat(mb / 22)
        ),
        format!("treemap-beta\n\"R\"\n{}", "  \"a\": 1\n".repeat(mb / 10)),
        format!("erDiagram\n{} direction LR", "A B ".repeat(mb / 4)),
        format!("radar-beta\n{}", "accDescr {".repeat(mb / 10)),
        format!(
            "requirementDiagram\n{} direction LR\n",
            "a - contains -> b ".repeat(mb / 18)
        ),
        format!(
            "requirementDiagram\n{}",
            "requirement a {\nid: 1\n}\n".repeat(mb / 25)
        ),
        format!("venn-beta\n{}", "set A\n  text x\n".repeat(mb / 16)),
        format!("xychart\nx-axis [{}]", "a, ".repeat(mb / 3)),
        format!("block-beta\n{}", "a[\"A\"] --> b\n".repeat(mb / 14)),
        format!("block-beta\n{}", "block:g\n".repeat(mb / 8)),
        format!("gantt\n{}", "Task : a1, 2024-01-01, 3d\n".repeat(mb / 26)),
        format!("sankey\n{}", "a,b,1\n".repeat(mb / 6)),
        format!("journey\n{}", "Make tea: 5: Me\n".repeat(mb / 16)),
        format!("classDiagram\n{}", "class A {{\n+m()\n}}\n".repeat(mb / 20)),
        format!("stateDiagram-v2\n{}", "state A {{\n".repeat(mb / 11)),
        format!("mindmap\nroot\n{}", "  a\n".repeat(mb / 4)),
        format!("C4Context\nPerson({}", "a".repeat(mb)),
        format!("C4Context\n{}", "Person(a, \"x\n\")\n".repeat(mb / 16)),
        format!("eventmodeling\n{}", "tf 01 cmd A ->> 02\n".repeat(mb / 20)),
        format!("eventmodeling\ntf 01 cmd A {}", "{ \"".repeat(mb / 3)),
        format!(
            "wardley-beta\n{}",
            "component A b [0.5, 0.5]\nA b -> C\n".repeat(mb / 36)
        ),
        format!("wardley-beta\n{}", "+'".repeat(mb / 2)),
        format!(
            "sequenceDiagram\n{}",
            "participant A@{ \"type\": \"x\"\n".repeat(mb / 30)
        ),
        format!(
            "flowchart TD\nA@{{ label: \"x\n{}",
            "B --> C\n".repeat(mb / 8)
        ),
        format!("flowchart TD\nsubgraph S\n{}", "A --> B\n".repeat(mb / 8)),
        "%%{init: ".repeat(mb / 9),
        "é".repeat(mb / 2),
    ];
    for b in &bodies {
        let _ = check(b);
    }
    assert!(
        start.elapsed().as_secs() < 30,
        "too slow: {:?}",
        start.elapsed()
    );
}

/// The conformance snippets' sources.
fn conformance_sources() -> Vec<String> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../../tests/fixtures/mermaid/conformance.json"
    );
    let raw = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("read {path}: {e}"));
    let json: serde_json::Value =
        serde_json::from_str(&raw).unwrap_or_else(|e| panic!("parse {path}: {e}"));
    json.as_array()
        .map(|items| {
            items
                .iter()
                .filter_map(|it| it["source"].as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

#[test]
fn flowchart_fast_path_agrees_with_the_token_parser() {
    let mut sources: Vec<String> = conformance_sources()
        .into_iter()
        .filter(|s| {
            matches!(
                diagram_kind(s),
                Some("flowchart" | "graph" | "flowchart-elk")
            )
        })
        .collect();
    sources.extend(
        [
            "flowchart TD\n    N0[Node 0] -->|step 0| N1[(Store 0)]\n    A --> B\n",
            "flowchart LR\n  a([x]) --- b[[y]] ==> c{z} -.-> d(w) ~~~ e\n  o1 --> x1\n",
            "graph TD\n  A[\"q [x]\"] --> B\n  A --> |l| B\n  C -->|\"m\"| D\n",
            "flowchart TD\n  A --> B\n  linkStyle 0 stroke:red\n  linkStyle 1 stroke:red\n",
            "flowchart TD\n  A-->B\n  v --> w\n  endpoint --> classy\n  A-B --> C\n",
        ]
        .map(str::to_string),
    );
    // Lines at the edge of what the fast path takes, each followed by a
    // broken line so that misreading them would change the verdict.
    let edges = [
        "o--> B",
        "x==> B",
        "o-.-> B",
        "x --> B",
        "o1 --> B",
        "endpoint --> B",
        "end --> B",
        "classy --> B",
        "styles --> B",
        "defaults --> B",
        "graphs --> B",
        "accX --> B",
        "callback --> B",
        "clicked --> B",
        "hrefs --> B",
        "interpolated --> B",
        "subgraphs --> B",
        "swimlanes --> B",
        "linkStyles --> B",
        "flowcharts --> B",
        "A --> B --> end",
        "A -->\n B",
        "A\n--> B",
        "A \n --> B",
        "A -- x --> B",
        "A-->|x| B",
        "A-->|x|--> B",
        "A --- B",
        "A & B --> C",
        "A:::c --> B",
        "A@{shape: x} --> B",
        "A[x]:::c",
        "A[\"x\"]y --> B",
        "A[x]] --> B",
        "A(x)) --> B",
        "A(x)] --> B",
        "A[x]) --> B",
        "A((x)) --> B",
        "A{{x}} --> B",
        "A[/x/] --> B",
        "A>x] --> B",
        "A-B --> C",
        "A.B --> C",
        "A->B",
        "A --> B;",
        "A --> B ",
        "A --> B\t",
        "v --> w",
        "A -->|x|\n B",
        "A -->|x| |y| B",
        "A --> o",
        "A-->o",
        "A---oB",
        "A ~~~ B",
        "A <--> B",
        "A --o B",
        "A --x B",
        "A ==> B",
        "A -.- B",
        "A -..-> B",
        "A[\"a\"] --> B[\"b\"]",
        "A[\"\"] --> B",
        "A[ ] --> B",
        "A[] --> B",
        "A[ ~~~x] --> B",
        "A[x\ny] --> B",
        "A[\"x\ny\"] --> B",
        "A|x| --> B",
        "A[x]-->B[y]-->C",
        "click --> B",
        "call --> B",
        "class --> B",
        "style --> B",
        "default --> B",
        "href --> B",
        "accTitle --> B",
        "accDescr --> B",
        "graph --> B",
        "flowchart --> B",
        "subgraph --> B",
        "linkStyle --> B",
        "interpolate --> B",
        "swimlane-beta --> B",
        "classDef --> B",
        "flowchart-elk --> B",
        "subgraph S\n  A --> B\n  end",
        "subgraph S [T]\n  A\n  end",
        "subgraph S[T]\nend",
        "subgraph S (T)\nend",
        "subgraph S x\nend",
        "subgraph\nend",
        "subgraph S\nend;",
        "subgraph S\nend A --> B",
        "subgraph S\n  end\nend",
        "end",
        "end\nend",
        "subgraph o--> B\nend",
        "subgraph S --> B\nend",
        "subgraph S [T] --> B\nend",
        "subgraph S\n end\n\n  A",
        "subgraph S[\"t\"]\nend",
        "subgraph S[]\nend",
        "subgraph S [T\nend",
        "subgraph S \nend ",
        "subgraph end\nend",
        "subgraph subgraph\nend",
        "subgraph S\nendx\nend",
        "subgraph S\n  subgraph T [U]\n  end\nend\nend",
        "subgraph S [T]\n  \"x",
        "A[a]\n  subgraph S\n  \"x",
    ];
    for h in [
        "flowchart TD",
        "graph LR;",
        "flowchart BR",
        "flowchart-elk TD",
        "flowchart TD ",
        "flowchart  TDx",
        "flowchart TD A-->B",
        "graph",
        "graph\t RL",
        "flowchart TD\n\n",
        "graph TB\n--> B",
        "graph BT\n  o--> B",
        "graph LR\n  x",
        "flowchart TD\r",
        "graphs TD",
        "flowchart TD %% c",
        "graph TD\n  subgraph",
        "  flowchart LR",
    ] {
        for body in ["", "\n  A --> B", "\n  A -->", "\nend"] {
            sources.push(format!("{h}{body}\n"));
        }
    }
    for e in edges {
        for tail in ["", "\n  Z -->", "\n  Z --> Y", "\n  linkStyle 1 color:red"] {
            sources.push(format!("flowchart TD\n  {e}{tail}\n"));
            sources.push(format!("graph LR\n{e}{tail}"));
        }
    }
    assert!(sources.len() > 20, "only {} flowcharts", sources.len());
    let inserts = [
        "-", "|", "[", "]", "(", ")", "\n", " ", "\"", "x", "o", "end", "&", ":", ";", "{", "}",
        "~", "=", ".", ">", "\t", "A", "--> B", "@", "#", "%%", "`", "]]", "])", ")]", ")))", "[[",
        "[(", "((", "{{", "o--", "x--", "-.", "==", "~~~", "\n  ",
    ];
    let mut rng = Rng(0x2545_f491_4f6c_dd1d);
    let mut cases = 0;
    for s in &sources {
        let mut variants = vec![s.clone()];
        for _ in 0..30 {
            let mut v = s.clone();
            for _ in 0..=(rng.next() % 2) {
                let mut at = (rng.next() % (v.len() as u64 + 1)) as usize;
                while !v.is_char_boundary(at) {
                    at -= 1;
                }
                if rng.next().is_multiple_of(3) {
                    if let Some(c) = v[at..].chars().next() {
                        v.replace_range(at..at + c.len_utf8(), "");
                    }
                } else {
                    v.insert_str(at, inserts[(rng.next() % inserts.len() as u64) as usize]);
                }
            }
            variants.push(v);
        }
        for v in variants {
            assert_eq!(check(&v), check_without_fast_path(&v), "{v:?}");
            cases += 1;
        }
    }
    assert!(cases > 1000);
}

/// Faults the ports of flowchart, sequence, C4, eventmodeling and wardley catch,
/// each with the line (0-based, in the block) and a part of the message; and forms
/// next to them that Mermaid accepts.
#[test]
fn grammar_ports_report_the_fault_and_its_line() {
    let cases: &[(&str, usize, &str)] = &[
        // flowchart: edge ids, edge labels, entities, trapezoids, click
        ("flowchart LR\n  A e1@- -> B", 1, "edge id `e1@`"),
        ("flowchart LR\n  e2@--> B", 1, "has no source node"),
        ("flowchart LR\n  A -- text \"q\" --> B", 1, "quoted text must come first"),
        ("flowchart LR\n  A -- --> B", 1, "empty label"),
        ("flowchart LR\n  A-->||B", 1, "`||` is empty"),
        ("flowchart LR\n  A-|->B", 1, "unexpected `|`"),
        ("flowchart LR\n  A-<->B", 1, "unexpected `<`"),
        ("flowchart LR\n  A @-->e1 B", 1, "unexpected `@`"),
        ("flowchart LR\n  A --> B\n  style A fill#aaa;", 2, "entity code"),
        ("flowchart LR\n  A(Start) --> B[/Another/\n  A --> C[End]", 1, "unbalanced `[/`"),
        ("flowchart LR\n  a{\"`The cat`} --> b", 1, "markdown string"),
        ("flowchart LR\n  A:::--> B", 1, "`:::`"),
        ("flowchart LR\n  A @{ shape: rect }", 1, "must follow its node id"),
        ("flowchart-ekl TD\n  A --> B", 0, "direction `-ekl`"),
        ("flowchart LR\n  A --> B\n  click A \"u.html\" tip\"", 2, "unexpected `tip\"`"),
        ("flowchart LR\n  subgraph S\n    A --> B\n  edn", 3, "did you mean `end`"),
        ("flowchart LR\n  A@{\n    shape: circle\n    other \"clock\"\n  }", 1, "has no `:`"),
        ("flowchart LR\n  A@{ label: \"x }\n  B --> C", 1, "unbalanced `\"`"),
        // sequence: placements, names, create/destroy, configs over lines
        ("sequenceDiagram\n  A->>B: hi\n  over B: x", 2, "must follow `note`"),
        ("sequenceDiagram\n  participant X asY:Z", 1, "cannot hold `:`"),
        ("sequenceDiagram\n  A->>B: x\n  destroy Bo\n  B->>A: y", 3, "is destroyed on line 3"),
        ("sequenceDiagram\n  A->>B: x\n  create participant C\n  C->>A: y", 3, "is created on line 3"),
        ("sequenceDiagram\n  A->>B Hello<br/>there", 1, "missing the `:`"),
        ("sequenceDiagram\n  Note over A,: x", 1, "second participant"),
        ("sequenceDiagram\n  -A->>B: x", 1, "cannot start a statement"),
        (
            "sequenceDiagram\n  participant U@{ \"type\": \"boundary\"\n  participant V@{ \"type\": \"control\" }",
            1,
            "not closed with `}` on its line",
        ),
        // C4
        ("C4Context\n  Person(a, $sprite=users\")", 1, "must be quoted"),
        ("C4Context\n  Personx, \"A\")", 1, "unknown C4 element"),
        // eventmodeling
        ("eventmodeling\ntf 01 cmd A\ntf 1000 evt B", 2, "frame number"),
        ("eventmodeling\ntitle Cart\ntf 01 cmd A", 1, "no `title`"),
        ("eventmodeling\ntf 01 cmd A { x: 1", 1, "unexpected character `{`"),
        // wardley
        ("wardley-beta\ncomponent A [0.5 0.5]", 1, "position"),
        ("wardley-beta\ncomponent buyer [0.5, 0.5]", 1, "`component` needs a name"),
        ("wardley-beta\ncomponent A [0.5, 0.5]\nevolve A 150.5", 2, "between 0 and 1"),
        ("wardley-beta\npipeline P {\n  component X [0.5]\n}", 1, "must belong to a component"),
    ];
    for &(body, line, part) in cases {
        let e = err(body);
        assert!(
            e.line == line && e.message.contains(part),
            "{body:?}: expected line {line} with {part:?}, got {e:?}"
        );
    }
    for body in [
        "flowchart LR\n  A e1@ --> B\n  e1@{ animate: true }",
        "flowchart LR\n  A -- \"quoted\" text --> B",
        "flowchart LR\n  A -- \"`md`\" --> B",
        "flowchart LR\n  A --> B\n  click A \"u\" \"tip\" _blank\n  click B cb \"tip\"",
        "flowchart LR\n  B@{\n    label: plain text\n      goes on\n    shape: rect\n  }",
        "sequenceDiagram\n  participant Web Server\n  participant A as Alice: the user\n  Web Server->>A: q",
        "sequenceDiagram\n  A->>B: x\n  create participant C\n  Note over A: n\n  A->>C: hi\n  destroy C\n  C->>A: bye",
        "sequenceDiagram\n  participant B@{\n    \"type\": \"control\"\n  }",
        "C4Context\n  Person(a, \"A\", $sprite=\"users\")",
        "eventmodeling\ntf 01 cmd A.B ->> 02 [[D]] `json` { \"a\": 1 }\ndata D {\n  x\n}\n// note\ngwt 01 given cmd A then evt B",
        "wardley-beta\ntitle Tea\nanchor Business [0.95, 0.63]\ncomponent Cup of Tea [0.79, 0.61] label [-85, -10] (build) inertia\nBusiness -> Cup of Tea\nCup of Tea +'boils'> Water ; heats\npipeline Cup of Tea {\n  component Mug [0.6]\n}\nnote \"n\" [0.3, 0.49]",
    ] {
        ok(body);
    }
}
