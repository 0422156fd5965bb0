"""Load framework files (YAML) and report every problem with the file, the place in it and what is wrong."""

from __future__ import annotations

import hashlib
import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from indicators.consistency import check_framework
from indicators.schema import Framework
from indicators.yaml_limits import yaml_shape_problem

SHIPPED_DIR = Path(__file__).resolve().parent / "frameworks"
MAX_FILE_BYTES = 2_000_000


class FrameworkError(ValueError):
    """A framework file that cannot be used; `problems` holds (path, message) pairs."""

    def __init__(self, source: str, problems: list[tuple[str, str]]):
        self.source = source
        self.problems = problems
        lines = [
            f"{source}: {path}: {message}" if path else f"{source}: {message}" for path, message in problems
        ]
        super().__init__("\n".join(lines))


def _locate(data: Any, loc: tuple[int | str, ...]) -> str:
    """Turn a pydantic location into a readable path that names codes, e.g. `groups[0] (D1).weight`."""
    parts: list[str] = []
    node = data
    for key in loc:
        if isinstance(key, int):
            label = f"[{key}]"
            try:
                node = node[key]
                if isinstance(node, dict) and "code" in node:
                    label += f" ({node['code']})"
            except (IndexError, KeyError, TypeError):
                node = None
            if parts:
                parts[-1] += label
            else:
                parts.append(label)
        else:
            parts.append(str(key))
            node = node.get(key) if isinstance(node, dict) else None
    return ".".join(parts)


def content_hash(data: Any) -> str:
    canonical = json.dumps(data, sort_keys=True, ensure_ascii=False, separators=(",", ":"), default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def parse_framework(text: str, source: str = "<text>") -> Framework:
    """Parse and check a framework from YAML text; raises FrameworkError naming every problem.

    Checked before loading: the size (MAX_FILE_BYTES) and the YAML's shape (indicators/yaml_limits.py:
    aliases, nesting, expanded size)."""
    if len(text.encode("utf-8")) > MAX_FILE_BYTES:
        raise FrameworkError(source, [("", f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")])
    shape = yaml_shape_problem(text)  # aliases, nesting and expanded size, before loading or hashing
    if shape is not None:
        raise FrameworkError(source, [shape])
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
        raise FrameworkError(source, [(where, f"not valid YAML: {getattr(exc, 'problem', exc)}")]) from None
    if not isinstance(data, dict):
        raise FrameworkError(source, [("", "the file must hold a mapping (id, name, version, groups...)")])
    try:
        framework = Framework.model_validate({**data, "content_hash": content_hash(data)})
    except ValidationError as exc:
        problems = [(_locate(data, tuple(err["loc"])), err["msg"]) for err in exc.errors()]
        raise FrameworkError(source, problems) from None
    problems = check_framework(framework)
    if problems:
        raise FrameworkError(source, problems)
    return framework


def load_framework_file(path: str | Path) -> Framework:
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:  # before reading it
            raise FrameworkError(path.name, [("", f"file is larger than {MAX_FILE_BYTES // 1_000_000} MB")])
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise FrameworkError(str(path), [("", f"cannot be read: {exc}")]) from None
    return parse_framework(text, source=path.name)


def shipped_framework_paths() -> list[Path]:
    return sorted(SHIPPED_DIR.glob("*.yaml"))


@lru_cache(maxsize=1)
def shipped_frameworks() -> dict[str, Framework]:
    """The frameworks that ship with the tool, by id."""
    frameworks = [load_framework_file(p) for p in shipped_framework_paths()]
    return {fw.id: fw for fw in frameworks}
