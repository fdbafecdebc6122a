//! Mermaid diagram families, as profiles name them in `[[diagrams]] type = "…"`.

/// The families a profile may ask for.
pub const FAMILIES: &[&str] = &[
    "flowchart",
    "sequence",
    "class",
    "state",
    "er",
    "c4",
    "gantt",
    "journey",
    "pie",
    "mindmap",
    "timeline",
    "gitgraph",
    "architecture",
    "block",
    "deployment",
];

pub fn is_family(name: &str) -> bool {
    FAMILIES.contains(&name)
}

/// The family of a diagram given its keyword (the first word of the diagram).
pub fn family_of(keyword: &str) -> Option<&'static str> {
    let k = keyword.to_ascii_lowercase();
    Some(match k.as_str() {
        "graph" | "flowchart" | "flowchart-elk" => "flowchart",
        "sequencediagram" => "sequence",
        "classdiagram" | "classdiagram-v2" => "class",
        "statediagram" | "statediagram-v2" => "state",
        "erdiagram" => "er",
        "c4context" | "c4container" | "c4component" | "c4dynamic" => "c4",
        "c4deployment" => "deployment",
        "gantt" => "gantt",
        "journey" => "journey",
        "pie" => "pie",
        "mindmap" => "mindmap",
        "timeline" => "timeline",
        "gitgraph" => "gitgraph",
        "architecture-beta" => "architecture",
        "block-beta" | "block" => "block",
        _ => return None,
    })
}

/// Whether a diagram of `family` satisfies a request for `wanted`. A deployment
/// request is also met by a flowchart or an architecture diagram, which is how most
/// documents draw deployments.
pub fn satisfies(family: &str, wanted: &str) -> bool {
    family == wanted
        || (wanted == "deployment" && matches!(family, "flowchart" | "architecture" | "c4"))
}
