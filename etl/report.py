"""Render outcomes and problems for the terminal (text) or for programs (JSON)."""

from __future__ import annotations

import json

from .convert import ConvertOutcome


def outcomes_text(outcomes: list[ConvertOutcome]) -> str:
    lines = []
    for outcome in outcomes:
        status = "OK" if outcome.ok else "FAILED"
        target = outcome.output or "-"
        lines.append(
            f"{status:6} {outcome.document} -> {target} "
            f"({outcome.council or '?'}: {outcome.projects} projects, {outcome.unaccounted} unaccounted lines)"
        )
        lines.extend(f"       {p}" for p in outcome.problems)
    failed = sum(not o.ok for o in outcomes)
    problems = sum(len(o.problems) for o in outcomes)
    lines.append(f"{len(outcomes)} documents, {len(outcomes) - failed} converted, {failed} failed, {problems} problems")
    return "\n".join(lines)


def outcomes_json(outcomes: list[ConvertOutcome]) -> str:
    return json.dumps(
        [
            {
                "document": str(o.document),
                "mapping": str(o.mapping),
                "output": str(o.output) if o.output else None,
                "council": o.council,
                "projects": o.projects,
                "unaccounted": o.unaccounted,
                "ok": o.ok,
                "problems": [p.to_dict() for p in o.problems],
            }
            for o in outcomes
        ],
        ensure_ascii=False,
        indent=2,
    )
