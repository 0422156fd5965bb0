"""Checks on a framework file's YAML before it is loaded or hashed: how deep it nests, how many aliases
it uses and how many nodes it stands for once every alias is expanded ("billion laughs": nine levels of
ten aliases stand for a billion strings in a file of a few hundred bytes).

The check reads PyYAML's event stream, which builds nothing; the loader (indicators/loader.py) calls it
before `yaml.safe_load`, so no expansion, recursion or hashing runs on a file that fails it.
"""

from __future__ import annotations

import yaml

MAX_ALIASES = 100  # anchors may be reused (`*name`), but not as a "billion laughs"
MAX_DEPTH = 32  # the shipped frameworks nest 8 deep
MAX_NODES = 200_000  # scalars, lists and mappings, an alias counted as everything its anchor holds

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def yaml_shape_problem(text: str) -> tuple[str, str] | None:
    """(where, message) naming the first limit the YAML text passes, or None when it is within them.

    YAML syntax errors are left to the loader, which reports them with their line."""
    sizes: dict[str, int] = {}
    open_anchors: list[tuple[str | None, int]] = []  # (anchor, nodes counted when it opened)
    nodes = aliases = 0
    try:
        for event in yaml.parse(text, Loader=_Loader):
            if isinstance(event, yaml.AliasEvent):
                aliases += 1
                if aliases > MAX_ALIASES:
                    return _at(event), f"more than {MAX_ALIASES} aliases (*name)"
                nodes += sizes.get(event.anchor or "", 1)
            elif isinstance(event, yaml.ScalarEvent):
                nodes += 1
                if event.anchor:
                    sizes[event.anchor] = 1
            elif isinstance(event, yaml.CollectionStartEvent):
                nodes += 1
                open_anchors.append((event.anchor, nodes))
                if len(open_anchors) > MAX_DEPTH:
                    return _at(event), f"nested more than {MAX_DEPTH} levels deep"
            elif isinstance(event, yaml.CollectionEndEvent) and open_anchors:
                anchor, started = open_anchors.pop()
                if anchor:
                    sizes[anchor] = nodes - started + 1
            if nodes > MAX_NODES:
                return _at(event), f"stands for more than {MAX_NODES:,} values once aliases are expanded"
    except yaml.YAMLError:
        return None
    return None


def _at(event: yaml.Event) -> str:
    mark = event.start_mark
    return f"line {mark.line + 1}, column {mark.column + 1}" if mark else ""
