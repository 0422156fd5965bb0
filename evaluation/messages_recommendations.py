"""Texts of the evaluation cycle (issue 12): recommendations. key -> (Indonesian, English)."""

RECOMMENDATIONS_MESSAGES: dict[str, tuple[str, str]] = {}
