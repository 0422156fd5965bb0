"""Texts of the evaluation cycle (issue 12): periods_admin. key -> (Indonesian, English)."""

PERIODS_ADMIN_MESSAGES: dict[str, tuple[str, str]] = {}
