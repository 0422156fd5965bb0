"""User-facing texts of saving conflicts: a refused save keeps the person's input (issue 10): key -> (Indonesian, English)."""

CONFLICTS_MESSAGES: dict[str, tuple[str, str]] = {}
