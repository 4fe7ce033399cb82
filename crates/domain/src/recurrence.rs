//! Recurrence patterns (RFC 5545 RRULE/EXDATE/RDATE/EXRULE): parsing, validation and expansion.
