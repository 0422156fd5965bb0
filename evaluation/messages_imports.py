"""User-facing texts of Excel imports and exports: three-way rule, previews, the export command (issue 10): key -> (Indonesian, English)."""

IMPORTS_MESSAGES: dict[str, tuple[str, str]] = {}
