//! Reading the dates people write in documents.

use std::sync::LazyLock;

use chrono::NaiveDate;
use regex::Regex;

/// What a date-bearing value turned out to be.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum DateValue {
    /// A real calendar date; `span` is its byte range within the value.
    Date(NaiveDate, std::ops::Range<usize>),
    /// Looks like a date but is not one (`2026-13-45`), or holds no date at all.
    Invalid(String),
    /// Nothing written.
    Empty,
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static DATE: LazyLock<Regex> = LazyLock::new(|| {
    let p = format!(
        r"(?ix-u)
        \b(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})\b
        | \b(?P<mn1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b
        | \b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn2>{MONTHS})\.?,?\s+(?P<y2>\d{{4}})\b
        | \b(?P<mn3>{MONTHS})\.?\s+(?P<y3>\d{{4}})\b
        | \b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y4>\d{{4}})\b
        "
    );
    #[allow(clippy::unwrap_used)] // built from literals, checked by the tests
    Regex::new(&p).unwrap()
});

fn month(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let m = match n.get(..3)? {
        "jan" => 1,
        "feb" => 2,
        "mar" => 3,
        "apr" => 4,
        "may" => 5,
        "jun" => 6,
        "jul" => 7,
        "aug" => 8,
        "sep" => 9,
        "oct" => 10,
        "nov" => 11,
        "dec" => 12,
        _ => return None,
    };
    Some(m)
}

/// Parse the first date written in `value` (ISO 8601, `2026/11/02`, `November 2, 2026`,
/// `2 Nov 2026`, `November 2026`, `11/02/2026`).
pub fn parse(value: &str) -> DateValue {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return DateValue::Empty;
    }
    let Some(c) = DATE.captures(value) else {
        return DateValue::Invalid(trimmed.to_string());
    };
    let Some(whole) = c.get(0) else {
        return DateValue::Invalid(trimmed.to_string());
    };
    let num = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<u32>().ok());
    let year = |name: &str| c.name(name).and_then(|m| m.as_str().parse::<i32>().ok());
    let date = if let Some(y) = year("y") {
        num("m")
            .zip(num("d"))
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(y, m, d))
    } else if let Some(y) = year("y1") {
        c.name("mn1")
            .and_then(|m| month(m.as_str()))
            .zip(num("d1"))
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(y, m, d))
    } else if let Some(y) = year("y2") {
        c.name("mn2")
            .and_then(|m| month(m.as_str()))
            .zip(num("d2"))
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(y, m, d))
    } else if let Some(y) = year("y3") {
        c.name("mn3")
            .and_then(|m| month(m.as_str()))
            .and_then(|m| NaiveDate::from_ymd_opt(y, m, 1))
    } else if let Some(y) = year("y4") {
        // Month first (US) when it can be; day first otherwise.
        let (a, b) = (num("a").unwrap_or(0), num("b").unwrap_or(0));
        NaiveDate::from_ymd_opt(y, a, b).or_else(|| NaiveDate::from_ymd_opt(y, b, a))
    } else {
        None
    };
    match date {
        Some(d) => DateValue::Date(d, whole.start()..whole.end()),
        None => DateValue::Invalid(whole.as_str().to_string()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ymd(s: &str) -> Option<(i32, u32, u32)> {
        use chrono::Datelike;
        match parse(s) {
            DateValue::Date(d, _) => Some((d.year(), d.month(), d.day())),
            _ => None,
        }
    }

    #[test]
    fn common_forms_parse() {
        assert_eq!(ymd("2026-11-02"), Some((2026, 11, 2)));
        assert_eq!(ymd("2026/11/02"), Some((2026, 11, 2)));
        assert_eq!(ymd("November 2, 2026"), Some((2026, 11, 2)));
        assert_eq!(ymd("Nov 2nd, 2026"), Some((2026, 11, 2)));
        assert_eq!(ymd("2 Nov 2026"), Some((2026, 11, 2)));
        assert_eq!(ymd("2 November 2026"), Some((2026, 11, 2)));
        assert_eq!(ymd("November 2026"), Some((2026, 11, 1)));
        assert_eq!(ymd(" 2026-11-02 by the platform team"), Some((2026, 11, 2)));
    }

    #[test]
    fn impossible_and_missing_dates_are_invalid() {
        assert_eq!(parse("2026-13-45"), DateValue::Invalid("2026-13-45".into()));
        assert_eq!(parse("soon"), DateValue::Invalid("soon".into()));
        assert_eq!(parse("  "), DateValue::Empty);
    }
}
