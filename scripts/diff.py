"""Row-level differences between two versions of the package: per table, rows added, removed
and changed, matched by primary key (never by line), with the fields that changed.

A side is a package directory or a git revision of the repository that holds the package.
"""

from __future__ import annotations

import csv
import io
import subprocess
from dataclasses import dataclass, field
from pathlib import Path

from .problems import neutral
from .schemas import TABLES, TABLES_BY_NAME

csv.field_size_limit(2**31 - 1)  # cells as long as validate reads them

# The citation tables, and the record table each one cites
CITED_BY = {t.cited_in.resource: t.name for t in TABLES if t.cited_in}


class DiffError(Exception):
    """A side cannot be read (no such revision or directory)."""


@dataclass(frozen=True)
class FieldChange:
    field: str
    old: str
    new: str


@dataclass(frozen=True)
class RowChange:
    key: tuple[str, ...]
    fields: tuple[FieldChange, ...]


@dataclass
class TableDiff:
    table: str
    key_fields: tuple[str, ...]
    added: list[dict[str, str]] = field(default_factory=list)
    removed: list[dict[str, str]] = field(default_factory=list)
    changed: list[RowChange] = field(default_factory=list)
    columns_added: list[str] = field(default_factory=list)
    columns_removed: list[str] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not (
            self.added or self.removed or self.changed or self.columns_added or self.columns_removed
        )

    def key_of(self, row: dict[str, str]) -> tuple[str, ...]:
        return tuple(row.get(name, "") for name in self.key_fields)


@dataclass
class PackageDiff:
    base: str
    head: str
    tables: list[TableDiff]

    @property
    def empty(self) -> bool:
        return all(table.empty for table in self.tables)

    def table(self, name: str) -> TableDiff | None:
        return next((t for t in self.tables if t.table == name), None)


# --- reading a side ------------------------------------------------------------------------------

Table = tuple[list[str], list[dict[str, str]]]


def _parse(text: str) -> Table:
    # a byte-order mark would make the first column's name, and so every key, unreadable
    reader = csv.reader(io.StringIO(text.removeprefix("\ufeff"), newline=""))
    rows = list(reader)
    if not rows:
        return [], []
    header = rows[0]
    return header, [dict(zip(header, row, strict=False)) for row in rows[1:] if row]


def run_git(repo: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", "-C", str(repo), *args],
        capture_output=True,
        text=True,
        encoding="utf-8",
        errors="replace",  # a table saved in another encoding is validate's to report
        check=False,
    )


def git_root(path: Path) -> Path | None:
    result = run_git(path, "rev-parse", "--show-toplevel")
    return Path(result.stdout.strip()) if result.returncode == 0 else None


def read_directory(root: Path, names: tuple[str, ...] | None = None) -> dict[str, Table]:
    """The package's tables as text (only ``names`` when given)."""
    tables = {}
    for table in TABLES:
        if names is not None and table.name not in names:
            continue
        path = root / table.path
        if path.is_file():
            tables[table.name] = _parse(path.read_text(encoding="utf-8", errors="replace"))
    return tables


def read_revision(
    package_root: Path, revision: str, names: tuple[str, ...] | None = None
) -> dict[str, Table]:
    repo = git_root(package_root)
    if repo is None:
        raise DiffError(
            f"{package_root} is not in a git repository, so {revision!r} cannot be "
            "read; pass a package directory instead"
        )
    if run_git(repo, "rev-parse", "--verify", "--quiet", f"{revision}^{{commit}}").returncode:
        raise DiffError(f"{revision!r} is neither a package directory nor a git revision of {repo}")
    prefix = package_root.resolve().relative_to(repo.resolve()).as_posix()
    paths = {
        table.name: f"{prefix}/{table.path}" if prefix != "." else table.path
        for table in TABLES
        if names is None or table.name in names
    }
    texts = _blobs_at(repo, revision, list(paths.values()))
    return {name: _parse(texts[path]) for name, path in paths.items() if path in texts}


def _blobs_at(repo: Path, revision: str, paths: list[str]) -> dict[str, str]:
    """The text of each of ``paths`` that is a file at ``revision``, read by one git process
    (``git cat-file --batch``) rather than one ``git show`` per table."""
    request = "".join(f"{revision}:{path}\n" for path in paths).encode("utf-8")
    result = subprocess.run(
        ["git", "-C", str(repo), "cat-file", "--batch"],
        input=request,
        capture_output=True,
        check=False,
    )
    if result.returncode:
        said = result.stderr.decode(errors="replace").strip().splitlines() or ["no reason given"]
        raise DiffError(f"git could not read {revision!r}: {said[0]}")
    texts: dict[str, str] = {}
    output, at = result.stdout, 0
    for path in paths:  # one answer per request line, in order
        end = output.index(b"\n", at)
        header = output[at:end]
        at = end + 1
        if header.endswith((b" missing", b" ambiguous")):  # no such file there (the name
            continue  # is echoed and may hold spaces, so it is not split)
        _, kind, size_text = header.split(b" ")  # "<sha> <type> <size>"
        size = int(size_text)
        if kind == b"blob":
            # a table saved in another encoding is validate's to report
            texts[path] = output[at : at + size].decode("utf-8", errors="replace")
        at += size + 1  # the content and the newline after it
    return texts


def read_side(
    package_root: Path, spec: str, names: tuple[str, ...] | None = None
) -> dict[str, Table]:
    """A side given as a package directory (holding datapackage.json) or a git revision."""
    as_path = Path(spec)
    if as_path.is_dir() and (as_path / "datapackage.json").is_file():
        return read_directory(as_path, names)
    return read_revision(package_root, spec, names)


def merge_base(package_root: Path) -> str:
    """The default base: where the current branch left main (origin/main when there is no
    local main)."""
    repo = git_root(package_root)
    if repo is None:
        raise DiffError(
            f"{package_root} is not in a git repository: give BASE as a package directory"
        )
    for branch in ("main", "origin/main"):
        result = run_git(repo, "merge-base", "HEAD", branch)
        if result.returncode == 0:
            return result.stdout.strip()
    raise DiffError("no branch main or origin/main to compare with: give BASE explicitly")


# --- comparing ---------------------------------------------------------------------------------


def _keyed(rows: list[dict[str, str]], key_fields: tuple[str, ...]) -> dict[tuple[str, ...], dict]:
    keyed: dict[tuple[str, ...], dict] = {}
    for row in rows:
        key = tuple(row.get(name, "") for name in key_fields)
        while key in keyed:  # a duplicate key (an invalid side) stays visible, numbered
            key = (*key[:-1], key[-1] + "#dup")
        keyed[key] = row
    return keyed


def diff_table(name: str, base: Table | None, head: Table | None) -> TableDiff:
    key_fields = TABLES_BY_NAME[name].primary_key
    base_header, base_rows = base or ([], [])
    head_header, head_rows = head or ([], [])
    result = TableDiff(name, key_fields)
    if base is not None and head is not None:
        result.columns_added = [c for c in head_header if c not in base_header]
        result.columns_removed = [c for c in base_header if c not in head_header]
    old = _keyed(base_rows, key_fields)
    new = _keyed(head_rows, key_fields)
    result.added = [row for key, row in new.items() if key not in old]
    result.removed = [row for key, row in old.items() if key not in new]
    shared = [c for c in head_header if c in base_header and c not in key_fields]
    for key, row in new.items():
        before = old.get(key)
        if before is None:
            continue
        changes = tuple(
            FieldChange(c, before.get(c, ""), row.get(c, ""))
            for c in shared
            if before.get(c, "") != row.get(c, "")
        )
        if changes:
            result.changed.append(RowChange(key, changes))
    result.added.sort(key=result.key_of)
    result.removed.sort(key=result.key_of)
    result.changed.sort(key=lambda change: change.key)
    return result


def diff_sides(
    base: dict[str, Table], head: dict[str, Table], base_label: str, head_label: str
) -> PackageDiff:
    tables = [
        diff_table(t.name, base.get(t.name), head.get(t.name))
        for t in TABLES
        if t.name in base or t.name in head
    ]
    return PackageDiff(base_label, head_label, tables)


def diff_package(
    package_root: Path, base: str | None = None, head: str | None = None
) -> PackageDiff:
    """Differences from ``base`` (default: the merge base with main) to ``head`` (default: the
    package directory as it is on disk)."""
    base_spec = base or merge_base(package_root)
    head_tables = read_side(package_root, head) if head else read_directory(package_root)
    return diff_sides(
        read_side(package_root, base_spec), head_tables, base_spec, head or "work tree"
    )


# --- rendering ---------------------------------------------------------------------------------

SHORT = 80


def _window(shown: str, start: int) -> str:
    """``shown`` cut to SHORT characters from ``start`` (where a change begins), marked."""
    rest = shown[start:]
    cut = rest if len(rest) <= SHORT else rest[: SHORT - 3] + "..."
    return ("..." if start > 0 else "") + cut


def _change_text(old: str, new: str) -> str:
    """Old and new, each cut around the first character where they differ (in the text as
    shown, line breaks as \\n), so a change far into a long note still shows."""
    shown_old, shown_new = old.replace("\n", "\\n"), new.replace("\n", "\\n")
    pairs = zip(shown_old, shown_new, strict=False)
    same = next((i for i, (a, b) in enumerate(pairs) if a != b), None)
    if same is None:
        same = min(len(shown_old), len(shown_new))
    start = 0 if same < SHORT - 20 else same - 20
    return f"{_window(shown_old, start)!r} -> {_window(shown_new, start)!r}"


def _key_text(key: tuple[str, ...]) -> str:
    return " / ".join(neutral(part) for part in key)


def summary_counts(result: PackageDiff) -> dict[str, dict[str, int]]:
    return {
        t.table: {"added": len(t.added), "removed": len(t.removed), "changed": len(t.changed)}
        for t in result.tables
        if not t.empty
    }


def as_json(result: PackageDiff) -> dict:
    return {
        "base": result.base,
        "head": result.head,
        "summary": summary_counts(result),
        "tables": {
            t.table: {
                "key": list(t.key_fields),
                "columns_added": t.columns_added,
                "columns_removed": t.columns_removed,
                "added": t.added,
                "removed": t.removed,
                "changed": [
                    {
                        "key": list(c.key),
                        "fields": {f.field: {"old": f.old, "new": f.new} for f in c.fields},
                    }
                    for c in t.changed
                ],
            }
            for t in result.tables
            if not t.empty
        },
    }


def _changed_lines(table: TableDiff, bullet: str) -> list[str]:
    return [
        f"{bullet}~ {_key_text(change.key)}: "
        + "; ".join(f"{f.field}: {_change_text(f.old, f.new)}" for f in change.fields)
        for change in table.changed
    ]


def _citation_lines(table: TableDiff, bullet: str) -> list[str]:
    record_key, source_key = table.key_fields[0], "source_id"
    lines = []
    for sign, rows in (("+", table.added), ("-", table.removed)):
        for row in rows:
            supports = row.get("supports", "")
            detail = f" (supports {supports})" if supports else ""
            record, source = row.get(record_key, ""), row.get(source_key, "")
            lines.append(
                f"{bullet}{sign} {neutral(record)} cites {neutral(source)}{neutral(detail)}"
            )
    return lines + _changed_lines(table, bullet)


def _record_lines(table: TableDiff, bullet: str) -> list[str]:
    lines = [f"{bullet}+ {_key_text(table.key_of(row))}" for row in table.added]
    lines += [f"{bullet}- {_key_text(table.key_of(row))}" for row in table.removed]
    return lines + _changed_lines(table, bullet)


def _headline(table: TableDiff) -> str:
    parts = [
        f"{len(table.added)} added",
        f"{len(table.removed)} removed",
        f"{len(table.changed)} changed",
    ]
    if table.columns_added:
        parts.append("columns added: " + ", ".join(table.columns_added))
    if table.columns_removed:
        parts.append("columns removed: " + ", ".join(table.columns_removed))
    return ", ".join(parts)


def as_text(result: PackageDiff) -> str:
    if result.empty:
        return f"no differences between {result.base} and {result.head}"
    lines = [f"{result.base} -> {result.head}"]
    for table in result.tables:
        if table.empty:
            continue
        lines.append(f"{table.table}: {_headline(table)}")
        render = _citation_lines if table.table in CITED_BY else _record_lines
        lines += render(table, "  ")
    return "\n".join(lines)


def as_markdown(result: PackageDiff) -> str:
    if result.empty:
        return f"**Data changes** ({result.base} → {result.head}): none."
    lines = [
        f"## Data changes ({result.base} → {result.head})",
        "",
        "| table | added | removed | changed |",
        "|---|---|---|---|",
    ]
    for table in result.tables:
        if not table.empty:
            lines.append(
                f"| {table.table} | {len(table.added)} | {len(table.removed)} | "
                f"{len(table.changed)} |"
            )
    for table in result.tables:
        if table.empty:
            continue
        lines += ["", f"### {table.table}: {_headline(table)}", ""]
        render = _citation_lines if table.table in CITED_BY else _record_lines
        lines += [line.replace("|", "\\|") for line in render(table, "- ")]
    return "\n".join(lines)
