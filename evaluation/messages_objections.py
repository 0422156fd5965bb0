"""Texts of the evaluation cycle (issue 12): objections. key -> (Indonesian, English)."""

OBJECTIONS_MESSAGES: dict[str, tuple[str, str]] = {}
