"""Texts of the evaluation cycle (issue 12): stages. key -> (Indonesian, English)."""

STAGES_MESSAGES: dict[str, tuple[str, str]] = {}
