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
        \b(?P<y>\d{{4}})[-/.](?P<m>\d{{1,2}})[-/.](?P<d>\d{{1,2}})(?:\b|T\d)
        | \b(?P<mn1>{MONTHS})\.?\s+(?P<d1>\d{{1,2}})(?:st|nd|rd|th)?,?\s+(?P<y1>\d{{4}})\b
        | \b(?P<d2>\d{{1,2}})(?:st|nd|rd|th)?\s+(?P<mn2>{MONTHS})\.?,?\s+(?P<y2>\d{{4}})\b
        | \b(?P<mn3>{MONTHS})\.?\s+(?P<y3>\d{{4}})\b
        | \b(?P<a>\d{{1,2}})/(?P<b>\d{{1,2}})/(?P<y4>\d{{4}})\b
        | \b(?P<d5>\d{{1,2}})\.(?P<m5>\d{{1,2}})\.(?P<y5>\d{{4}})\b
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

/// Parse the first date written in `value` (ISO 8601, a date and time included:
/// `2026-11-02T10:00:00Z`; `2026/11/02`, `November 2, 2026`, `2 Nov 2026`, `November
/// 2026`, `11/02/2026`, and day first with dots, `02.11.2026`).
pub fn parse(value: &str) -> DateValue {
    let trimmed = value.trim();
    if trimmed.is_empty() {
        return DateValue::Empty;
    }
    if let Some(iso) = iso_at_start(value) {
        return iso;
    }
    by_pattern(value, trimmed)
}

/// `YYYY-MM-DD` first in the value (after whitespace) and ending a word: the form
/// nearly every document uses, read as [`DATE`]'s first form reads it, without
/// compiling the pattern (a third of a one-document run's instructions). Nothing before
/// it can start a match (every form starts with a digit or a letter), so the pattern's
/// leftmost match would be this one.
fn iso_at_start(value: &str) -> Option<DateValue> {
    let start = value.len() - value.trim_start().len();
    let b = value.as_bytes().get(start..)?;
    let digits =
        |r: std::ops::Range<usize>| b.get(r).is_some_and(|d| d.iter().all(u8::is_ascii_digit));
    let shape = digits(0..4) && b.get(4) == Some(&b'-') && digits(5..7) && b.get(7) == Some(&b'-');
    // Two digits of day ending the word (the pattern's `\b` is ASCII), or a time
    // after `T`.
    let ends = !b
        .get(10)
        .is_some_and(|&c| c.is_ascii_alphanumeric() || c == b'_')
        || b.get(10) == Some(&b'T') && b.get(11).is_some_and(u8::is_ascii_digit);
    if !(shape && digits(8..10) && ends) {
        return None;
    }
    let num = |r: std::ops::Range<usize>| value[start + r.start..start + r.end].parse::<u32>().ok();
    let year = i32::try_from(num(0..4)?).ok()?;
    let whole = start..start + 10;
    Some(
        match NaiveDate::from_ymd_opt(year, num(5..7)?, num(8..10)?) {
            Some(d) => DateValue::Date(d, whole),
            None => DateValue::Invalid(value[whole].to_string()),
        },
    )
}

/// The first date [`DATE`] finds in `value` (`trimmed` is the value without its
/// surrounding whitespace, for the message when there is none).
fn by_pattern(value: &str, trimmed: &str) -> DateValue {
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
    } else if let Some(y) = year("y5") {
        // Dots are written day first (`24.12.2026`, German and much of Europe).
        num("m5")
            .zip(num("d5"))
            .and_then(|(m, d)| NaiveDate::from_ymd_opt(y, m, d))
    } else {
        None
    };
    // A time after an ISO date (`T10:00`) is not part of the date's span.
    let end = match c.name("d") {
        Some(d) if year("y").is_some() => d.end(),
        _ => whole.end(),
    };
    match date {
        Some(d) => DateValue::Date(d, whole.start()..end),
        None => DateValue::Invalid(value[whole.start()..end].to_string()),
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
        assert_eq!(ymd("2026-06-01T10:00:00Z"), Some((2026, 6, 1)));
        assert_eq!(ymd("2026-06-01T10:00"), Some((2026, 6, 1)));
        assert_eq!(ymd("01.06.2020"), Some((2020, 6, 1)));
        assert_eq!(ymd("1.6.2020"), Some((2020, 6, 1)));
        assert_eq!(ymd("24.12.2026"), Some((2026, 12, 24)));
        assert!(matches!(parse("2026-06-01T10:00"), DateValue::Date(_, r) if r == (0..10)));
        assert_eq!(
            parse("2026-02-30T10:00"),
            DateValue::Invalid("2026-02-30".into())
        );
        assert_eq!(parse("31.02.2026"), DateValue::Invalid("31.02.2026".into()));
    }

    proptest::proptest! {
        #[test]
        fn iso_dates_read_without_the_pattern_read_as_with_it(
            (lead, y, m, d, seps, tail) in (
                proptest::sample::select(vec!["", " ", "\t", "\u{a0}", "x", "1"]),
                proptest::sample::select(vec!["2026", "1999", "0000", "202", "20266"]),
                proptest::sample::select(vec!["11", "02", "2", "13", "00", "123"]),
                proptest::sample::select(vec!["02", "31", "29", "30", "7", "45", "123"]),
                proptest::sample::select(vec![("-", "-"), ("/", "/"), ("-", "/"), (".", ".")]),
                proptest::sample::select(vec!["", " ", "x", "_", "0", ".", "T10:00", "é", " (Nov 2)"]),
            )
        ) {
            let s = format!("{lead}{y}{}{m}{}{d}{tail}", seps.0, seps.1);
            let trimmed = s.trim();
            let expected = if trimmed.is_empty() { DateValue::Empty } else { by_pattern(&s, trimmed) };
            proptest::prop_assert_eq!(parse(&s), expected, "{:?}", s);
        }
    }

    #[test]
    fn impossible_and_missing_dates_are_invalid() {
        assert_eq!(parse("2026-13-45"), DateValue::Invalid("2026-13-45".into()));
        assert_eq!(parse("soon"), DateValue::Invalid("soon".into()));
        assert_eq!(parse("  "), DateValue::Empty);
    }
}
