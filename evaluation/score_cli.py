"""`python -m evaluation score FILE --framework ID`: score a CSV/XLSX file of levels (or published group
indices) without a database, with the same scoring as the app; problems are located by row and column."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from evaluation.cli_output import say, text, warn
from evaluation.i18n import fmt_number
from evaluation.translatable import Message, NotFound
from indicators.loader import load_framework_file, shipped_frameworks
from indicators.schema import Framework


def add_parser(sub: argparse._SubParsersAction) -> None:
    """Register `score`."""
    score = sub.add_parser("score", help="score a CSV/XLSX file without a database")
    score.add_argument("file")
    score.add_argument("--framework", required=True, help="framework id (or a framework YAML file)")
    score.add_argument("--json", action="store_true")
    score.add_argument("--predicate-rounding", choices=["round2", "raw"], default=None)
    score.set_defaults(func=cmd_score)


def _framework(name: str) -> Framework:
    frameworks = shipped_frameworks()
    if name in frameworks:
        return frameworks[name]
    if Path(name).is_file():
        return load_framework_file(name)
    raise NotFound("cli.unknown_framework", name=name, known=list(frameworks))


def cmd_score(args: argparse.Namespace) -> int:
    from evaluation.score_file import FileProblem, ScoreFileError, parse_score_rows, read_table
    from evaluation.scoring import ScoringInputError, score_group_values, score_levels

    framework = _framework(args.framework)
    path = Path(args.file)
    if not path.is_file():
        warn(args.lang, "cli.file_not_found", path=str(path))
        return 2
    inputs, problems = parse_score_rows(read_table(path), framework, path.name)
    results, incomplete = [], []
    for entry in inputs:
        try:
            if entry.kind == "indicator":
                result = score_levels(framework, entry.values, rounding=args.predicate_rounding)
            else:
                result = score_group_values(
                    framework, entry.kind, entry.values, rounding=args.predicate_rounding
                )
        except ScoringInputError as exc:
            column = "level" if entry.kind == "indicator" else "index"
            problems += [
                FileProblem(entry.rows.get(c, 0), column, Message("pr.sc_code_problem", code=c, problem=m))
                for c, m in exc.problems.items()
            ]
            continue
        if result.missing:
            who = text(args.lang, "cli.missing_who", agency=entry.agency) if entry.agency else ""
            incomplete.append(
                text(args.lang, "cli.missing_codes", who=who, kind=entry.kind, codes=list(result.missing))
            )
        results.append(result.as_dict(entry.agency))
    if problems:
        raise ScoreFileError(path.name, sorted(problems, key=lambda p: p.row))
    _print_results(results, as_json=args.json, listed=inputs[0].agency is not None, lang=args.lang)
    for line in incomplete:
        warn(args.lang, "cli.incomplete", file=path.name, line=line)
    return 1 if incomplete else 0


def _print_results(results: list[dict[str, Any]], *, as_json: bool, listed: bool, lang: str) -> None:
    if as_json:
        print(json.dumps(results if listed else results[0], ensure_ascii=False, indent=2))
        return
    for r in results:
        name = f"{r['agency']}: " if r["agency"] else ""
        groups = ", ".join(f"{k} {fmt_number(v, lang)}" for k, v in {**r["domains"], **r["aspects"]}.items())
        index = fmt_number(float(r["index_display"]), lang) if r["index_display"] else "-"
        say(
            lang,
            "cli.score_line",
            name=name,
            framework=r["framework"],
            index=index,
            predicate=r["predicate"] or "-",
            groups=groups,
        )
