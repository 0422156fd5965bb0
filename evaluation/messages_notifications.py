"""Texts of the evaluation cycle (issue 12): notifications. key -> (Indonesian, English)."""

NOTIFICATIONS_MESSAGES: dict[str, tuple[str, str]] = {}
