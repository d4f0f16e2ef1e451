"""Standard categories: every project gets one of the guideline's four departments.

The rules are data (`mappings/categories.yaml`, shared by all councils); a mapping
may add rules of its own or override single projects under its `categories` key.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from ..config.resources import mappings_dir
from ..config.yamlsafe import load_yaml
from ..model import CATEGORIES, Project
from .patterns import Pattern, compile_pattern

RULES_FILE = "categories.yaml"


@dataclass(frozen=True)
class Rule:
    category: str
    pattern: Pattern


@cache
def shared_rules(path: Path | None = None) -> tuple[Rule, ...]:
    data = load_yaml((path or mappings_dir() / RULES_FILE).read_text(encoding="utf-8")).data
    return _rules(data["rules"])


def _rules(items: list[dict[str, Any]]) -> tuple[Rule, ...]:
    rules = tuple(Rule(item["category"], compile_pattern(item["pattern"])) for item in items)
    unknown = {r.category for r in rules} - set(CATEGORIES)
    if unknown:
        raise ValueError(f"unknown categories in rules: {sorted(unknown)}")
    return rules


def classify(project: Project, rules: tuple[Rule, ...]) -> str:
    """The category of the first rule matching the name, else the path, else the content; or ""."""
    for text in (project.name, " ".join(project.path), f"{project.purpose} {project.method}"):
        for rule in rules:
            if rule.pattern.search(text):
                return rule.category
    return ""


def classify_projects(projects: list[Project], mapping_categories: dict[str, Any] | None = None) -> None:
    """Set `category` on every project that has none, honouring the mapping's overrides."""
    settings = mapping_categories or {}
    overrides: dict[str, str] = settings.get("overrides", {})
    rules = _rules(settings.get("rules", [])) + shared_rules()
    for project in projects:
        if not project.category:
            project.category = overrides.get(project.project_id) or classify(project, rules)
