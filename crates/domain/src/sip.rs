//! SIP dial-in ids and passwords.
