//! `archlint explain RULE`: the rule's documentation.

use std::io::Write;

use crate::diagnostic::RuleId;
use crate::error::{Error, Result};
use crate::rules;

pub fn run(out: &mut dyn Write, rule: &str) -> Result<()> {
    let found = RuleId::parse(rule).and_then(rules::find);
    let Some(r) = found else {
        let known = rules::RULES.iter().map(|r| r.meta().id.as_str());
        let help = match crate::facts::normalize::closest(rule, known) {
            Some(c) => format!("did you mean `{c}`? `archlint rules` lists every rule"),
            None => "`archlint rules` lists every rule".to_string(),
        };
        return Err(Error::Usage {
            message: format!("unknown rule `{rule}`"),
            help: Some(help),
        });
    };
    let m = r.meta();
    let write = |out: &mut dyn Write| -> std::io::Result<()> {
        writeln!(out, "# {}\n", m.id)?;
        let default = if m.on_by_default {
            m.severity.to_string()
        } else {
            format!(
                "off ({} where a profile or the configuration turns it on)",
                m.severity
            )
        };
        writeln!(
            out,
            "Default severity: {default}. {}.\n",
            capitalise(m.summary)
        )?;
        write!(out, "{}", m.docs)
    };
    write(out).map_err(|source| Error::Write {
        path: "<stdout>".into(),
        source,
    })
}

fn capitalise(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}
