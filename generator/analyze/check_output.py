"""Output of `trainfn-gen check`: text as ruff prints it, JSON, or GitHub Actions annotations; rule selection."""

from __future__ import annotations

import json

from .check_model import Violation


def selected(violations: list[Violation], select: str | None, ignore: str | None) -> list[Violation]:
    """Keep the rules matching a prefix of --select (all when not given) and none matching a prefix of --ignore."""
    chosen = [s.strip().upper() for s in select.split(",") if s.strip()] if select else []
    dropped = [s.strip().upper() for s in ignore.split(",") if s.strip()] if ignore else []
    return [v for v in violations if (not chosen or v.rule.startswith(tuple(chosen))) and not (dropped and v.rule.startswith(tuple(dropped)))]


def to_text(found: dict[str, list[Violation]]) -> str:
    """`file:line:col: Rxx message` per violation, then `Found N violations (rules).` or `All checks passed.`."""
    lines, notes, rules = [], [], set()
    for path, violations in found.items():
        for v in sorted(violations, key=lambda v: (v.line, v.col, v.rule, v.message)):
            if v.severity == "note":  # issue 25: what cannot break the call comes after the errors, counted apart
                notes.append(f"{path}:{v.line}:{v.col}: {v.rule} note: {v.message}")
            else:
                lines.append(f"{path}:{v.line}:{v.col}: {v.rule} {v.message}")
                rules.add(v.rule)
    if not lines and not notes:
        return "All checks passed."
    plural = "s" if len(lines) != 1 else ""
    tail = f" and {len(notes)} note{'s' if len(notes) != 1 else ''}" if notes else ""
    return "\n".join([*lines, *notes, f"Found {len(lines)} violation{plural} ({', '.join(sorted(rules))}){tail}."])


def to_json(found: dict[str, list[Violation]]) -> str:
    """A list of {filename, line, column, code, message}, as `ruff check --output-format json` has them."""
    items = [{"filename": path, "line": v.line, "column": v.col, "code": v.rule, "message": v.message, "severity": v.severity}
             for path, violations in found.items() for v in sorted(violations, key=lambda v: (v.line, v.col, v.rule, v.message))]
    return json.dumps(items, indent=2)


def to_github(found: dict[str, list[Violation]]) -> str:
    """GitHub Actions workflow commands: one `::error` annotation per violation."""
    def escape(text: str) -> str:
        return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")

    lines = [f"::error title=trainfn-gen ({v.rule}),file={path},line={v.line},col={v.col}::{escape(f'{v.rule} {v.message}')}"
             for path, violations in found.items() for v in sorted(violations, key=lambda v: (v.line, v.col, v.rule, v.message))]
    return "\n".join(lines)


FORMATS = {"text": to_text, "json": to_json, "github": to_github}
