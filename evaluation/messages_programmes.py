"""User-facing texts of programmes on the founding framework and its bridge to the official index (issue 16): key -> (Indonesian, English)."""

PROGRAMMES_MESSAGES: dict[str, tuple[str, str]] = {}
