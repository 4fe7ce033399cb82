//! Phone numbers to E.164 (`+<country><number>`), for `users.phone`.
//!
//! A deliberately small normaliser: it removes formatting, turns the `00`
//! international prefix into `+`, and puts the default country code in front
//! of national numbers (dropping one trunk `0`). It does not know national
//! numbering plans; anything that does not end up as `+` and 8–15 digits is
//! dropped (stored as NULL) rather than stored wrong.

/// Country calling codes of the ISO 3166 alpha-2 codes accepted in
/// `call_in.default_country_code`. A numeric code (`49`, `+49`) works too.
const CALLING_CODES: &[(&str, &str)] = &[
    ("AT", "43"),
    ("BE", "32"),
    ("CA", "1"),
    ("CH", "41"),
    ("CZ", "420"),
    ("DE", "49"),
    ("DK", "45"),
    ("ES", "34"),
    ("FI", "358"),
    ("FR", "33"),
    ("GB", "44"),
    ("IE", "353"),
    ("IT", "39"),
    ("LU", "352"),
    ("NL", "31"),
    ("NO", "47"),
    ("PL", "48"),
    ("PT", "351"),
    ("SE", "46"),
    ("US", "1"),
];

/// The calling code for a configured country (`DE`, `de`, `49` or `+49`).
pub fn calling_code(country: &str) -> Option<&str> {
    let country = country.trim();
    let digits = country.strip_prefix('+').unwrap_or(country);
    if !digits.is_empty() && digits.len() <= 3 && digits.bytes().all(|b| b.is_ascii_digit()) {
        return Some(digits);
    }
    CALLING_CODES
        .iter()
        .find(|(iso, _)| iso.eq_ignore_ascii_case(country))
        .map(|(_, code)| *code)
}

/// Normalises `number` to E.164, or `None` if it cannot be.
pub fn normalize_phone(number: &str, default_country: &str) -> Option<String> {
    let trimmed = number.trim();
    if trimmed.len() > 64 {
        return None;
    }
    let mut digits = String::with_capacity(16);
    for (i, c) in trimmed.chars().enumerate() {
        match c {
            '0'..='9' => digits.push(c),
            '+' if i == 0 => {}
            ' ' | '-' | '.' | '/' | '(' | ')' => {}
            _ => return None,
        }
    }
    let international = if trimmed.starts_with('+') {
        digits
    } else if let Some(rest) = digits.strip_prefix("00") {
        rest.to_owned()
    } else {
        let national = digits.strip_prefix('0').unwrap_or(&digits);
        format!("{}{national}", calling_code(default_country)?)
    };
    let plausible = (8..=15).contains(&international.len()) && !international.starts_with('0');
    plausible.then(|| format!("+{international}"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_normalise_to_e164_or_nothing() {
        let check = |input: &str, country: &str, expected: Option<&str>| {
            assert_eq!(
                normalize_phone(input, country).as_deref(),
                expected,
                "{input} / {country}"
            );
        };
        check("+49 30 1234567", "DE", Some("+49301234567"));
        check("0049 (30) 123-4567", "DE", Some("+49301234567"));
        check("030 1234567", "DE", Some("+49301234567"));
        check("030 1234567", "de", Some("+49301234567"));
        check("030 1234567", "+43", Some("+43301234567"));
        check("030 1234567", "XX", None);
        check("+1 (555) 010-9999", "DE", Some("+15550109999"));
        check("12", "DE", None);
        check("+49 30 1234567 ext 5", "DE", None);
        check("+4930+1234567", "DE", None);
        check("", "DE", None);
        check(&"1".repeat(100), "DE", None);
    }

    #[test]
    fn calling_codes_accept_iso_and_numeric_forms() {
        assert_eq!(calling_code("DE"), Some("49"));
        assert_eq!(calling_code(" +358 "), Some("358"));
        assert_eq!(calling_code("1234"), None);
        assert_eq!(calling_code(""), None);
    }
}
