"""Framework files are checked for size, aliases and nesting before they are loaded or hashed."""

from __future__ import annotations

import time

import pytest

from indicators import loader
from indicators.loader import FrameworkError, load_framework_file, parse_framework, shipped_framework_paths
from indicators.yaml_limits import MAX_ALIASES, MAX_DEPTH, MAX_NODES, yaml_shape_problem


def billion_laughs(levels: int = 9) -> str:
    lines = ['a0: &a0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels):
        aliases = ", ".join([f"*a{level - 1}"] * 10)
        lines.append(f"a{level}: &a{level} [{aliases}]")
    return "\n".join(lines) + "\n"


def test_a_billion_laughs_is_refused_before_loading_naming_the_limit():
    started = time.perf_counter()
    with pytest.raises(FrameworkError) as refused:
        parse_framework(billion_laughs(), "lol.yaml")
    assert time.perf_counter() - started < 1.0  # nothing was expanded (a billion strings would take minutes)
    assert f"{MAX_NODES:,}" in str(refused.value) and "aliases are expanded" in str(refused.value)


def test_the_expanded_size_counts_an_alias_as_everything_its_anchor_holds():
    assert yaml_shape_problem(billion_laughs(5)) is None  # 10^5 + a few: within 200,000
    assert yaml_shape_problem(billion_laughs(6)) is not None  # 10^6


def test_more_aliases_than_the_limit_are_refused_even_when_small():
    text = "a: &a 1\nb: [" + ", ".join(["*a"] * (MAX_ALIASES + 1)) + "]\n"
    where, message = yaml_shape_problem(text) or ("", "")
    assert f"more than {MAX_ALIASES} aliases" in message and where.startswith("line 2")


def test_a_few_aliases_are_allowed():
    assert yaml_shape_problem("criteria: &c [1, 2]\nother: *c\nmore: *c\n") is None


def test_nesting_deeper_than_the_limit_is_refused_without_recursion():
    text = "a: " + "[" * 50_000 + "]" * 50_000  # the composer would recurse 50,000 deep
    with pytest.raises(FrameworkError) as refused:
        parse_framework(text, "deep.yaml")
    assert f"nested more than {MAX_DEPTH} levels deep" in str(refused.value)


def test_the_shipped_frameworks_are_within_every_limit():
    for path in shipped_framework_paths():
        assert yaml_shape_problem(path.read_text(encoding="utf-8")) is None, path.name


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(tmp_path, monkeypatch):
    path = tmp_path / "big.yaml"
    path.write_bytes(b"a: 1\n" * 1000)
    monkeypatch.setattr(loader, "MAX_FILE_BYTES", 100)
    monkeypatch.setattr(type(path), "read_text", lambda *a, **k: pytest.fail("the file was read"))
    with pytest.raises(FrameworkError, match="larger than"):
        load_framework_file(path)
