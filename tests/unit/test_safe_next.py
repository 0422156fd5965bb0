"""The sign-in route's `next` target is a path on this site only (no open redirect)."""

from __future__ import annotations

import pytest

from app_pages.auth_routes import safe_next


@pytest.mark.parametrize(
    "target",
    [
        "/\\example.invalid/x",  # browsers read /\host as //host
        "//evil.example",
        "/%5Cevil.example",
        "/%5C%5Cevil.example",
        "/%2F%2Fevil.example",
        "https://x.example",
        "javascript:alert(1)",
        "/javascript:alert(1)",
        "\\\\evil.example",
        "/\tevil",
        "/ok\r\nSet-Cookie: x=1",
        "/ok%0d%0aSet-Cookie:x",
        "evil.example/x",
        "",
    ],
)
def test_a_target_that_could_leave_the_site_becomes_the_home_page(target):
    assert safe_next(target) == "/"


@pytest.mark.parametrize("target", ["/ok?x=1", "/penilaian", "/", "/peta-rencana?periode=2026&lang=en"])
def test_a_local_path_is_kept(target):
    assert safe_next(target) == target


def test_no_target_means_the_home_page():
    assert safe_next(None) == "/"
