"""Texts of the evaluation cycle (issue 12): reviewers. key -> (Indonesian, English)."""

REVIEWERS_MESSAGES: dict[str, tuple[str, str]] = {}
