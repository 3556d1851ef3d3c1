"""Read a YAML file into plain Python data, remembering the line of every field.

Error messages about a template name the file, the field path (``params.preds.places``) and the
line it is on, so an author can jump straight to it. ``yaml.compose`` gives nodes with positions;
this module turns them into dicts/lists/scalars (with YAML's safe scalar rules) and a table
``{"params.preds": 12, ...}``.

Template files are contributed content, so reading one is guarded too: only a regular file
(not a FIFO, a device or a link out of the question folder), its size checked before it is
read; no anchors or aliases (a "billion laughs" file of 500 bytes would otherwise expand to
gigabytes), no tags beyond plain strings, numbers, booleans, null, lists and mappings; no
number that is not finite or is larger than ``MAX_NUMBER``; at most ``MAX_DEPTH`` levels.
"""

from __future__ import annotations

import math
import os
import stat
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Document", "YamlError", "bank_files", "read_yaml"]

MAX_BYTES = 200_000
MAX_DEPTH = 32
MAX_NUMBER = 1e15
_PLAIN_TAGS = frozenset(
    f"tag:yaml.org,2002:{name}" for name in ("str", "int", "float", "bool", "null", "seq", "map")
)
# libyaml's parser when PyYAML was built with it (ten times faster), else the pure-Python one.
_LOADER = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


class YamlError(ValueError):
    """A file that is not valid YAML (or too large), with file and line in the message."""


@dataclass
class Document:
    """A parsed YAML mapping and the 1-based line of each field path."""

    path: Path
    data: dict[str, Any]
    lines: dict[str, int] = field(default_factory=dict)

    def where(self, field_path: str) -> str:
        """``file:line`` for a field (the nearest enclosing field that has a line)."""
        probe = field_path
        while probe and probe not in self.lines:
            probe = probe.rpartition(".")[0]
        line = self.lines.get(probe, 1)
        return f"{self.path}:{line}"


def bank_files(root: Path) -> Iterator[tuple[Path, YamlError | None]]:
    """Every ``*.yaml`` under ``root`` in order, with an error for a link out of ``root``."""
    top = root.resolve()
    for path in sorted(root.rglob("*.yaml")):
        if path.is_symlink() and not path.resolve().is_relative_to(top):
            yield path, YamlError(f"{path}: a link to a file outside the question folder")
        else:
            yield path, None


def _read_bytes(path: Path) -> bytes:
    """The bytes of a regular file of at most ``MAX_BYTES`` (checked before reading)."""
    try:
        handle = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
    except OSError as error:
        raise YamlError(f"{path}: cannot read: {error.strerror}") from None
    try:
        info = os.fstat(handle)
        if not stat.S_ISREG(info.st_mode):
            raise YamlError(f"{path}: not a regular file")
        if info.st_size > MAX_BYTES:
            raise YamlError(f"{path}: file larger than {MAX_BYTES} bytes")
        raw = os.read(handle, MAX_BYTES + 1)
    except OSError as error:
        raise YamlError(f"{path}: cannot read: {error.strerror}") from None
    finally:
        os.close(handle)
    if len(raw) > MAX_BYTES:  # it grew while being read
        raise YamlError(f"{path}: file larger than {MAX_BYTES} bytes")
    return raw


def read_yaml(path: Path) -> Document:
    """Parse ``path`` into a :class:`Document`; the top level must be a mapping."""
    raw = _read_bytes(path)
    try:
        text = raw.decode("utf-8")
        node = yaml.compose(text, Loader=_LOADER)
    except UnicodeDecodeError as error:
        raise YamlError(f"{path}: not UTF-8 (byte {error.start})") from None
    except yaml.YAMLError as error:
        mark = getattr(error, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        problem = getattr(error, "problem", None) or str(error).splitlines()[0]
        raise YamlError(f"{path}{line}: invalid YAML: {problem}") from None
    if not isinstance(node, yaml.MappingNode):
        raise YamlError(f"{path}:1: a template must be a YAML mapping of fields")
    lines: dict[str, int] = {}
    loader = yaml.SafeLoader("")
    try:
        data = _Converter(loader, lines, path).convert(node, "")
    finally:
        loader.dispose()
    return Document(path, data, lines)


class _Converter:
    """Turns composed nodes into plain data, recording each field's line."""

    def __init__(self, loader: yaml.SafeLoader, lines: dict[str, int], path: Path) -> None:
        self.loader, self.lines, self.path = loader, lines, path
        self.seen: set[int] = set()  # composed nodes met so far: an alias meets one again

    def convert(self, node: yaml.Node, prefix: str) -> Any:
        self.check(node, prefix)
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, prefix)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[f"{prefix}{i}"] = item.start_mark.line + 1
                items.append(self.convert(item, f"{prefix}{i}."))
            return items
        return self.scalar(node, prefix)

    def check(self, node: yaml.Node, prefix: str) -> None:
        """Refuse aliases, tags other than the plain ones, and nesting past ``MAX_DEPTH``."""
        if id(node) in self.seen:
            raise self.fail(node, prefix, "anchors and aliases are not allowed")
        self.seen.add(id(node))
        if node.tag == "tag:yaml.org,2002:merge":
            raise self.fail(node, prefix, "merge keys (<<) are not allowed")
        if node.tag not in _PLAIN_TAGS:
            tag = node.tag.removeprefix("tag:yaml.org,2002:")
            raise self.fail(node, prefix, f"tag {tag!r} is not allowed (quote the value)")
        if prefix.count(".") >= MAX_DEPTH:
            raise self.fail(node, prefix, f"nested more than {MAX_DEPTH} levels")

    def fail(self, node: yaml.Node, prefix: str, problem: str) -> YamlError:
        """``file:line: field: problem`` (the field is left out at the top level)."""
        field_path = prefix.rstrip(".")
        where = f"{self.path}:{node.start_mark.line + 1}"
        return YamlError(
            f"{where}: {field_path}: {problem}" if field_path else f"{where}: {problem}"
        )

    def scalar(self, node: yaml.Node, prefix: str) -> Any:
        """A plain scalar; numbers must be finite and at most ``MAX_NUMBER`` in size."""
        digits = len(str(node.value).lstrip("+-").lstrip("0_").replace("_", ""))
        if node.tag == "tag:yaml.org,2002:int" and digits > 16:
            raise self.fail(node, prefix, f"a {digits}-digit number is larger than {MAX_NUMBER:g}")
        try:
            value = self.loader.construct_object(node, deep=True)
        except (yaml.YAMLError, ValueError, OverflowError) as error:
            problem = str(error).splitlines()[0][:200]
            raise self.fail(node, prefix, f"cannot read the value: {problem}") from None
        if isinstance(value, bool) or not isinstance(value, int | float):
            return value
        if not math.isfinite(value):
            raise self.fail(node, prefix, f"{value} is not a finite number")
        if abs(value) > MAX_NUMBER:
            raise self.fail(node, prefix, f"{value:.3g} is larger than {MAX_NUMBER:g}")
        return value

    def mapping(self, node: yaml.MappingNode, prefix: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key_node, value_node in node.value:
            line = key_node.start_mark.line + 1
            key = self.convert(key_node, prefix) if isinstance(key_node, yaml.ScalarNode) else None
            if not isinstance(key, str | int | float) or isinstance(key, bool):
                raise YamlError(f"{self.path}:{line}: field names must be plain strings")
            full = f"{prefix}{key}"
            if str(key) in out:
                raise YamlError(f"{self.path}:{line}: field {full!r} appears twice")
            self.lines[full] = line
            out[str(key)] = self.convert(value_node, f"{full}.")
        return out
