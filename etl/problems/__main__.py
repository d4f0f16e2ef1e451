"""`python -m etl.problems > docs/problems.md` regenerates the table of problem codes."""

from .catalogue import as_markdown

print(as_markdown(), end="")
