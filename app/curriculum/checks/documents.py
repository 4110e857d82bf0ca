"""Reading one curriculum file: YAML with the line of every node, and problems that point at it.

Nothing here knows a kind of file: the checks of each kind (``stages``, ``plans``, ...) and the
loader build on it.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

Loc = tuple[str | int, ...]
Finding = tuple[Loc, str]  # a problem inside one item: where and why


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the curriculum, precise enough to fix without guessing."""

    file: str
    path: str
    reason: str
    line: int | None = None

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.path or '(file)'}: {self.reason}"


def format_path(loc: Iterable[str | int]) -> str:
    """``("phases", 0, "goal")`` -> ``phases[0].goal``."""
    text = ""
    for part in loc:
        if isinstance(part, int):
            text += f"[{part}]"
        else:
            text += f".{part}" if text else str(part)
    return text


@dataclass
class Document:
    """One YAML file: its data plus the line of every node, for pointing at problems."""

    file: str
    data: Any
    lines: dict[Loc, int] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)

    def problem(self, loc: Loc, reason: str) -> Problem:
        """A problem at ``loc``, on the line of the nearest node that exists on its path."""
        line = None
        for end in range(len(loc), 0, -1):
            line = self.lines.get(loc[:end])
            if line is not None:
                break
        return Problem(self.file, format_path(loc), reason, line)


def read_yaml(path: Path, file: str) -> Document:
    """Parse one file; YAML errors and duplicate keys become problems on the document."""
    document = Document(file=file, data=None)
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        document.problems.append(Problem(file, "", f"cannot be read: {exc}"))
        return document
    loader = yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
        if node is not None:
            _index_nodes(node, (), document, set())
            document.data = loader.construct_document(node)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        reason = exc.problem or exc.context or "cannot be parsed"
        line = mark.line + 1 if mark is not None else None
        document.problems.append(Problem(file, "", f"invalid YAML: {reason}", line))
    except yaml.YAMLError as exc:
        document.problems.append(Problem(file, "", f"invalid YAML: {exc}"))
    finally:
        loader.dispose()
    return document


def _index_nodes(node: yaml.Node, loc: Loc, document: Document, active: set[int]) -> None:
    """Record the line of every key and item, and report keys given twice in one mapping.

    PyYAML silently keeps the last of two equal keys; in a curriculum that is almost always a
    copy-paste slip, so it is a problem (found here rather than in a constructor so that it
    can name the path as well as the line).
    """
    if id(node) in active:  # a recursive alias: its nodes are already indexed
        return
    active.add(id(node))
    if isinstance(node, yaml.MappingNode):
        first_seen: dict[str, int] = {}
        for key_node, value_node in node.value:
            if not isinstance(key_node, yaml.ScalarNode):
                continue
            key = str(key_node.value)
            line = key_node.start_mark.line + 1
            child = (*loc, key)
            if key in first_seen:
                reason = f"duplicate key '{key}' (first given on line {first_seen[key]})"
                document.problems.append(Problem(document.file, format_path(child), reason, line))
            else:
                first_seen[key] = line
            document.lines[child] = line
            if isinstance(value_node, yaml.ScalarNode) and value_node.style in ("|", ">"):
                # Each line of a block of text, so a problem in it (agreement text) can be
                # reported as ``body[12]`` on the very line of the file.
                first = value_node.start_mark.line + 2
                for offset in range(str(value_node.value).count("\n") + 1):
                    document.lines[(*child, offset)] = first + offset
            _index_nodes(value_node, child, document, active)
    elif isinstance(node, yaml.SequenceNode):
        for index, item in enumerate(node.value):
            child = (*loc, index)
            document.lines[child] = item.start_mark.line + 1
            _index_nodes(item, child, document, active)
    active.discard(id(node))


def yaml_files(directory: Path) -> list[Path]:
    """The YAML files of one directory of the curriculum, in name order; none if it is absent."""
    if not directory.is_dir():
        return []
    return sorted(
        path
        for path in directory.iterdir()
        if path.is_file() and path.suffix in (".yaml", ".yml") and not path.name.startswith(".")
    )
