"""Read a YAML file into plain Python data, remembering the line of every field.

Error messages about a template name the file, the field path (``params.preds.places``) and the
line it is on, so an author can jump straight to it. ``yaml.compose`` gives nodes with positions;
this module turns them into dicts/lists/scalars (with YAML's safe scalar rules) and a table
``{"params.preds": 12, ...}``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["Document", "YamlError", "read_yaml"]

MAX_BYTES = 200_000
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


def read_yaml(path: Path) -> Document:
    """Parse ``path`` into a :class:`Document`; the top level must be a mapping."""
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise YamlError(f"{path}: cannot read: {error.strerror}") from None
    if len(raw) > MAX_BYTES:
        raise YamlError(f"{path}: file larger than {MAX_BYTES} bytes")
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

    def convert(self, node: yaml.Node, prefix: str) -> Any:
        if isinstance(node, yaml.MappingNode):
            return self.mapping(node, prefix)
        if isinstance(node, yaml.SequenceNode):
            items = []
            for i, item in enumerate(node.value):
                self.lines[f"{prefix}{i}"] = item.start_mark.line + 1
                items.append(self.convert(item, f"{prefix}{i}."))
            return items
        return self.loader.construct_object(node, deep=True)

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
