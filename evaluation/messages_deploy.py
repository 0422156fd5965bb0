"""User-facing texts of several servers, evidence storage and readiness (issue 14): key -> (Indonesian, English)."""

DEPLOY_MESSAGES: dict[str, tuple[str, str]] = {}
