"""User-facing texts of sign-in, sessions, audit and backups (issue 11): key -> (Indonesian, English)."""

SECURITY_MESSAGES: dict[str, tuple[str, str]] = {}
