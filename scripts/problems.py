"""Problems found in a package, and the three ways of printing them."""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import asdict, dataclass

CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")  # C0, DEL and C1 (CSI, NEL)


def neutral(value: object) -> str:
    """A value as printable text: control characters shown as escapes, never sent raw to the
    terminal (an ESC in a cell could otherwise rewrite the screen)."""
    text = "" if value is None else str(value)
    return CONTROL.sub(lambda match: f"\\x{ord(match.group()):02x}", text)


MAX_VALUE_CHARS = 60


def show_value(value: object) -> str:
    """A cell value as it appears in a message: quoted, escaped and cut to a readable length."""
    text = str(value)
    if len(text) > MAX_VALUE_CHARS:
        text = f"{text[:MAX_VALUE_CHARS]}... ({len(text):,} characters)"
    return repr(text)


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the package, pointing at a file, line and column where it can."""

    file: str
    line: int | None
    column: str | None
    rule: str
    message: str
    fix: str

    def sort_key(self) -> tuple:
        return (self.file, self.line or 0, self.column or "", self.rule, self.message)

    def location(self) -> str:
        parts = [self.file]
        if self.line is not None:
            parts.append(str(self.line))
        if self.column:
            parts.append(self.column)
        return ":".join(parts)

    def as_text(self) -> str:
        return f"{self.location()}: {self.message} ({self.fix})"


def _escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _escape_property(text: str) -> str:
    return _escape_data(text).replace(":", "%3A").replace(",", "%2C")


def as_github(problem: Problem) -> str:
    props = [f"file={_escape_property(problem.file)}"]
    if problem.line is not None:
        props.append(f"line={problem.line}")
    title = problem.column or problem.rule
    props.append(f"title={_escape_property(title)}")
    message = f"{problem.message} ({problem.fix})"
    return f"::error {','.join(props)}::{_escape_data(message)}"


def render(
    problems: Iterable[Problem], fmt: str, checked: dict[str, int], package: str | None = None
) -> str:
    """Render problems as ``text``, ``json`` or ``github`` output; ``package`` names the
    package checked, so a user never mistakes which one was."""
    problems = sorted(problems, key=Problem.sort_key)
    if fmt == "json":
        payload = {
            "package": package,
            "valid": not problems,
            "error_count": len(problems),
            "rows_checked": checked,
            "problems": [asdict(p) for p in problems],
        }
        return json.dumps(payload, indent=2, ensure_ascii=False)
    lines = [as_github(p) for p in problems] if fmt == "github" else [p.as_text() for p in problems]
    total = sum(checked.values())
    where = f" in {package}" if package else ""
    if problems:
        lines.append(
            f"{len(problems)} problem(s) in {len({p.file for p in problems})} file(s); "
            f"{total:,} rows checked{where}."
        )
    else:
        lines.append(f"valid: {len(checked)} tables, {total:,} rows checked{where}.")
    return "\n".join(lines)
