//! The submitted pattern: limits, allowed line kinds and per-line syntax.

use std::str::FromStr;

use chrono::DateTime;
use rrule::{Frequency, RRule, RRuleSet, Unvalidated};

use super::{MAX_PATTERN_BYTES, MAX_RULE_BYTES, MAX_RULES, RecurrenceError};

/// The kind of one pattern line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LineKind {
    /// `RRULE:…` or a bare `FREQ=…` line.
    RRule,
    /// `EXRULE:…` (honoured, R-3).
    ExRule,
    /// `RDATE…`.
    RDate,
    /// `EXDATE…`.
    ExDate,
}

impl LineKind {
    fn name(self) -> &'static str {
        match self {
            Self::RRule => "RRULE",
            Self::ExRule => "EXRULE",
            Self::RDate => "RDATE",
            Self::ExDate => "EXDATE",
        }
    }
}

/// One line split into its parts. Names are matched case-insensitively and
/// re-emitted in upper case, so the rrule parser sees canonical text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Line {
    pub(crate) kind: LineKind,
    /// Parameters between the name and the colon, without the leading `;`.
    pub(crate) params: String,
    /// Everything after the colon (or the whole line for a bare rule).
    pub(crate) value: String,
}

impl Line {
    /// Canonical content-line text. Date lines without a `TZID` get the
    /// series zone, so floating dates never depend on the server's zone.
    pub(crate) fn render(&self, zone: &str) -> String {
        let name = self.kind.name();
        match self.kind {
            LineKind::RRule | LineKind::ExRule => format!("{name}:{}", self.value),
            LineKind::RDate | LineKind::ExDate => {
                let has_tz = self.params.split(';').any(|p| {
                    p.split_once('=')
                        .is_some_and(|(k, _)| k.eq_ignore_ascii_case("TZID"))
                });
                let mut params = self.params.clone();
                if !has_tz {
                    if !params.is_empty() {
                        params.push(';');
                    }
                    params.push_str("TZID=");
                    params.push_str(zone);
                }
                format!("{name};{params}:{}", self.value)
            }
        }
    }
}

/// A recurrence pattern that passed the checks that do not depend on the
/// series start: at most 4 lines of at most 1024 bytes, at most 4094 bytes
/// joined, only RRULE/bare FREQ/EXRULE/RDATE/EXDATE lines (no DTSTART,
/// R-37), each line parseable, rule frequencies DAILY or coarser and every
/// `UNTIL` in UTC. The lines are kept exactly as submitted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RecurrencePattern {
    raw: Vec<String>,
    lines: Vec<Line>,
}

impl RecurrencePattern {
    /// Parses the API list. An empty list means "no recurrence" and gives
    /// `Ok(None)`.
    pub fn parse<S: AsRef<str>>(entries: &[S]) -> Result<Option<Self>, RecurrenceError> {
        if entries.len() > MAX_RULES {
            return Err(RecurrenceError::TooManyRules {
                count: entries.len(),
            });
        }
        if let Some(index) = entries
            .iter()
            .position(|e| e.as_ref().len() > MAX_RULE_BYTES)
        {
            return Err(RecurrenceError::RuleTooLong { index });
        }
        if entries.is_empty() {
            return Ok(None);
        }
        let joined: usize =
            entries.iter().map(|e| e.as_ref().len()).sum::<usize>() + entries.len() - 1;
        if joined > MAX_PATTERN_BYTES {
            return Err(RecurrenceError::TooLong);
        }
        let lines = entries
            .iter()
            .map(|e| split_line(e.as_ref()))
            .collect::<Result<Vec<_>, _>>()?;
        check_syntax(&lines)?;
        let raw = entries.iter().map(|e| e.as_ref().to_owned()).collect();
        Ok(Some(Self { raw, lines }))
    }

    /// Reads the stored column (`\n`-joined lines), applying the same checks.
    pub fn from_stored(text: &str) -> Result<Option<Self>, RecurrenceError> {
        if text.is_empty() {
            return Ok(None);
        }
        let entries: Vec<&str> = text.split('\n').collect();
        Self::parse(&entries)
    }

    /// The lines exactly as submitted.
    pub fn lines(&self) -> &[String] {
        &self.raw
    }

    /// The text for `events.recurrence_pattern`: the lines joined with `\n`.
    pub fn to_stored(&self) -> String {
        self.raw.join("\n")
    }

    pub(crate) fn parsed_lines(&self) -> &[Line] {
        &self.lines
    }
}

/// Splits one entry into kind, parameters and value.
fn split_line(entry: &str) -> Result<Line, RecurrenceError> {
    if entry.is_empty() || !entry.is_ascii() || entry.chars().any(char::is_control) {
        // A line break inside an entry would smuggle in extra lines. Content
        // lines are ASCII, and rrule 0.14 panics when slicing some non-ASCII
        // BYDAY values (found by the fuzz target), so refuse them up front.
        return Err(RecurrenceError::invalid(
            "empty line, non-ASCII or control character",
        ));
    }
    let name_len = entry.bytes().take_while(u8::is_ascii_alphabetic).count();
    let rest = &entry[name_len..];
    if !(rest.starts_with(':') || rest.starts_with(';')) {
        if entry.contains(':') {
            return Err(RecurrenceError::invalid("unrecognised property"));
        }
        // A bare `FREQ=…` line is read as an RRULE.
        return Ok(Line {
            kind: LineKind::RRule,
            params: String::new(),
            value: entry.to_owned(),
        });
    }
    let kind = match entry[..name_len].to_ascii_uppercase().as_str() {
        "RRULE" => LineKind::RRule,
        "EXRULE" => LineKind::ExRule,
        "RDATE" => LineKind::RDate,
        "EXDATE" => LineKind::ExDate,
        "DTSTART" => return Err(RecurrenceError::StartLine),
        other => return Err(RecurrenceError::invalid(format!("property {other}"))),
    };
    let (params, value) = match rest.split_once(':') {
        Some((params, value)) => (params.trim_start_matches(';'), value),
        None => return Err(RecurrenceError::invalid("missing ':'")),
    };
    Ok(Line {
        kind,
        params: params.to_owned(),
        value: value.to_owned(),
    })
}

/// Parses every line on its own. All lines are parsed before the frequency
/// check, as upstream parses the whole set first.
fn check_syntax(lines: &[Line]) -> Result<(), RecurrenceError> {
    let mut frequencies = Vec::new();
    for line in lines {
        match line.kind {
            LineKind::RRule | LineKind::ExRule => {
                if !line.params.is_empty() {
                    return Err(RecurrenceError::invalid("rule lines take no parameters"));
                }
                let rule = RRule::<Unvalidated>::from_str(&line.render("UTC"))
                    .map_err(RecurrenceError::invalid)?;
                if rule.get_until().is_some_and(|u| u.timezone().is_local()) {
                    return Err(RecurrenceError::invalid("UNTIL must be UTC"));
                }
                frequencies.push(rule.get_freq());
            }
            LineKind::RDate | LineKind::ExDate => {
                // Parse the dates as an RDATE in a throwaway set; the zone
                // only matters later, when the series is built.
                let probe = Line {
                    kind: LineKind::RDate,
                    ..line.clone()
                };
                RRuleSet::new(DateTime::UNIX_EPOCH.with_timezone(&rrule::Tz::UTC))
                    .set_from_string(&probe.render("UTC"))
                    .map_err(RecurrenceError::invalid)?;
            }
        }
    }
    if frequencies.iter().any(|f| *f > Frequency::Daily) {
        return Err(RecurrenceError::SubDaily);
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn parse(lines: &[&str]) -> Result<Option<RecurrencePattern>, RecurrenceError> {
        RecurrencePattern::parse(lines)
    }

    #[test]
    fn accepts_allowed_line_kinds() {
        let check = |lines: &[&str]| {
            let p = parse(lines).unwrap_or_else(|e| panic!("{lines:?}: {e:?}"));
            let p = p.expect("non-empty");
            assert_eq!(p.lines(), lines);
            assert_eq!(p.to_stored(), lines.join("\n"));
        };
        check(&["RRULE:FREQ=WEEKLY;INTERVAL=1;BYDAY=MO"]);
        check(&["FREQ=DAILY;COUNT=3"]);
        check(&["rrule:FREQ=MONTHLY;BYMONTHDAY=31"]);
        check(&["FREQ=WEEKLY", "EXDATE:20240729T080000Z"]);
        check(&["FREQ=WEEKLY", "EXDATE;TZID=Europe/Berlin:20240729T100000"]);
        check(&["RDATE;VALUE=DATE-TIME:20240101T100000Z,20240102T100000Z"]);
        check(&["FREQ=DAILY", "EXRULE:FREQ=WEEKLY;BYDAY=SA,SU"]);
        check(&["FREQ=YEARLY;UNTIL=20300101T000000Z", "FREQ=MONTHLY;COUNT=2"]);
    }

    #[test]
    fn r1_joined_pattern_over_4094_bytes_is_too_long() {
        // Exactly at the edge: padding one rule to make the total 4095.
        let pad = |n: usize| format!("FREQ=DAILY;COUNT=3{}", ";".repeat(n - 18));
        let at = [pad(1024), pad(1024), pad(1024), pad(4094 - 3 - 3 * 1024)];
        assert!(RecurrencePattern::parse(&at).is_ok());
        let over = [pad(1024), pad(1024), pad(1024), pad(4095 - 3 - 3 * 1024)];
        assert_eq!(
            RecurrencePattern::parse(&over),
            Err(RecurrenceError::TooLong)
        );
        assert_eq!(
            RecurrenceError::TooLong.message(),
            "recurrence_pattern is too long"
        );
    }

    #[test]
    fn shape_limits_are_deserialization_errors() {
        let five = ["FREQ=DAILY"; 5];
        let err = parse(&five).expect_err("five rules");
        assert_eq!(err, RecurrenceError::TooManyRules { count: 5 });
        assert!(err.is_shape_error());
        let long = format!("FREQ=DAILY{}", ";".repeat(1015));
        let err = RecurrencePattern::parse(&[long]).expect_err("1025 bytes");
        assert_eq!(err, RecurrenceError::RuleTooLong { index: 0 });
        assert!(err.is_shape_error());
        assert_eq!(parse(&[]), Ok(None));
    }

    #[test]
    fn r37_dtstart_lines_are_refused() {
        for line in [
            "DTSTART:20240101T100000Z",
            "dtstart;TZID=Europe/Berlin:20240101T100000",
        ] {
            let err = parse(&["FREQ=DAILY", line]).expect_err(line);
            assert_eq!(err, RecurrenceError::StartLine);
            assert_eq!(err.message(), "Invalid recurrence pattern");
        }
    }

    #[test]
    fn refuses_invalid_lines() {
        let check = |lines: &[&str], expect: RecurrenceError| {
            let err = parse(lines).expect_err("must fail");
            assert_eq!(err.message(), expect.message(), "{lines:?}: {err:?}");
        };
        let invalid = RecurrenceError::invalid("");
        check(&["FREQ=HOURLY"], RecurrenceError::SubDaily);
        check(
            &["RRULE:FREQ=MINUTELY;BYSECOND=0"],
            RecurrenceError::SubDaily,
        );
        check(
            &["FREQ=DAILY", "EXRULE:FREQ=SECONDLY"],
            RecurrenceError::SubDaily,
        );
        check(&["FREQ=DAILY;UNTIL=20300101T000000"], invalid.clone());
        check(&["FREQ=DAILY;COUNT=99999999999"], invalid.clone());
        check(&["FREQ=FORTNIGHTLY"], invalid.clone());
        check(&["FREQ=DAILY\nDTSTART:20240101T000000Z"], invalid.clone());
        check(&["X-FOO:bar"], invalid.clone());
        check(&["RRULE;X=1:FREQ=DAILY"], invalid.clone());
        check(&["EXDATE:notadate", "FREQ=DAILY"], invalid.clone());
        check(
            &["FREQ=DAILY", "RDATE;TZID=Nowhere/Land:20240101T100000"],
            invalid.clone(),
        );
        check(&[""], invalid.clone());
        // Non-ASCII text made rrule panic in NWeekday::from_str (fuzz finding).
        check(&["FREQ=WEEKLY;BYDAY=MO\u{526}U"], invalid.clone());
        check(&["FREQ=WEEKLY;BYDAY=\u{526}x"], invalid.clone());
        check(
            &[
                "FREQ=DAILY",
                "RDATE;TZID=Europe/Z\u{fc}rich:20240101T100000",
            ],
            invalid.clone(),
        );
        // A parse error elsewhere wins over the frequency check.
        check(&["FREQ=HOURLY", "FREQ=BOGUS"], invalid);
    }

    #[test]
    fn stored_text_round_trips() {
        let p = parse(&["FREQ=WEEKLY;BYDAY=MO", "EXDATE:20240729T080000Z"])
            .expect("valid")
            .expect("non-empty");
        let back = RecurrencePattern::from_stored(&p.to_stored()).expect("valid");
        assert_eq!(back, Some(p));
        assert_eq!(RecurrencePattern::from_stored(""), Ok(None));
    }
}
