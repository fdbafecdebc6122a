//! Whether output gets colour: CONVENTIONS 8.5, decided once for each stream.
//!
//! `NO_COLOR` and `CLICOLOR` are read with `anstyle-query`. Two steps differ from its
//! helpers on purpose, as CONVENTIONS 8.5 asks: `CLICOLOR_FORCE=0` does not force
//! colour (anstyle-query forces on any non-empty value), and a terminal with no
//! `TERM` at all gets colour (anstyle-query assumes it cannot show any).

/// Steps 3 to 6: `NO_COLOR`, then `CLICOLOR_FORCE`/`FORCE_COLOR`, then `CLICOLOR=0`,
/// then whether the destination is a terminal whose `TERM` is not `dumb`. The
/// `--color` flag (steps 1 and 2) is the caller's.
pub fn from_env(destination_is_terminal: bool) -> bool {
    let var = |k: &str| std::env::var(k).ok();
    if anstyle_query::no_color() {
        return false;
    }
    if var("CLICOLOR_FORCE").is_some_and(|v| !v.is_empty() && v != "0")
        || var("FORCE_COLOR").is_some_and(|v| !v.is_empty() && v != "0" && v != "false")
    {
        return true;
    }
    if anstyle_query::clicolor() == Some(false) {
        return false;
    }
    destination_is_terminal && var("TERM").is_none_or(|t| t != "dumb")
}
