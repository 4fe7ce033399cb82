//! SIP dial-in configuration: /v1/rooms/{id}/sip (api.md §7.5).
