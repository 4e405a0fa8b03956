"""Fact sheets: load the YAML (or JSON) files keeping line numbers, and check their structure.

A fact sheet is a YAML file with a ``facts`` list; each item is one block
describing one resource. Validation runs in two layers:

1. structure, against ``facts/schema.json`` (JSON Schema);
2. meaning, against the ontology: the class and every property must exist,
   every reference must name a known id of a suitable class, ids are unique.

Every problem is reported with its file, line and field.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from kg.sheets.errors import InputError, Problem
from kg.sheets.positions import half_surrogate, line_column, reader_problem

#: keys of a block that are not ontology properties
RESERVED = {
    "id", "class", "label", "aliases", "definition", "place", "note",
    "value", "upperValue", "offset", "upperOffset", "after", "period", "waive",
}
MAX_PROBLEMS = 50


class LMap(dict):
    """A YAML mapping that remembers its line and the line of each key."""

    line: int = 0
    key_lines: dict[str, int]


class LList(list):
    """A YAML sequence that remembers its line and the line of each item."""

    line: int = 0
    item_lines: list[int]


_BaseLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)  # libyaml when available


class _Loader(_BaseLoader):  # type: ignore[valid-type,misc]  # a base chosen at run time
    """SafeLoader that records 1-based lines and rejects duplicate keys."""

    def construct_mapping(self, node, deep=False):
        result = LMap()
        result.line = node.start_mark.line + 1
        result.key_lines = {}
        for key_node, value_node in node.value:
            key = self.construct_object(key_node, deep=True)
            if not isinstance(key, str):
                key = str(key)
            if key in result:
                raise yaml.constructor.ConstructorError(
                    None, None, f"duplicate key '{key}'", key_node.start_mark)
            result[key] = self.construct_object(value_node, deep=True)
            result.key_lines[key] = key_node.start_mark.line + 1
        return result

    def construct_object(self, node, deep=False):
        try:
            return super().construct_object(node, deep)
        except yaml.YAMLError:
            raise
        except Exception as exc:  # noqa: BLE001 - e.g. '!!int x': say where, as a YAML error
            raise yaml.constructor.ConstructorError(None, None, f"cannot read this value ({exc})", node.start_mark) from None

    def construct_sequence(self, node, deep=False):
        result = LList(self.construct_object(child, deep=True) for child in node.value)
        result.line = node.start_mark.line + 1
        result.item_lines = [child.start_mark.line + 1 for child in node.value]
        return result


_Loader.add_constructor("tag:yaml.org,2002:map", _Loader.construct_mapping)
_Loader.add_constructor("tag:yaml.org,2002:seq", _Loader.construct_sequence)
# Dates stay strings: the report's dates are data, not Python objects.
_Loader.yaml_implicit_resolvers = {
    k: [(tag, rx) for tag, rx in v if tag != "tag:yaml.org,2002:timestamp"]
    for k, v in _Loader.yaml_implicit_resolvers.items()
}


@dataclass
class Fact:
    """One block of a fact sheet."""

    id: str
    cls: str
    file: str
    first_line: int  # 0 until known: a JSON sheet's lines are found only when a message needs them
    data: dict
    index: int = 0
    sheet: JsonLines | None = None

    @property
    def line(self) -> int:
        if not self.first_line and self.sheet is not None:
            block = self.sheet.block(self.index)
            self.first_line = getattr(block, "line", 0)
        return self.first_line

    def line_of(self, key: str) -> int:
        lines = getattr(self.data, "key_lines", None)
        if lines is None and self.sheet is not None:
            lines = getattr(self.sheet.block(self.index), "key_lines", None)
        return (lines or {}).get(key, self.line)

    def places(self) -> list[str]:
        return as_list(self.data.get("place"))

    def relations(self) -> Iterator[tuple[str, Any, list[str]]]:
        """Yield ``(property, value, places)`` for every ontology property."""
        for key, raw in self.data.items():
            if key in RESERVED:
                continue
            for item in as_list(raw):
                if isinstance(item, dict):
                    yield key, item["ref"], as_list(item["place"])
                else:
                    yield key, item, []


@dataclass
class FactBase:
    """All facts of all sheets, by id."""

    facts: dict[str, Fact] = field(default_factory=dict)
    sheets: list[Path] = field(default_factory=list)
    #: sheets whose text has no backslash and no control character, so no string in them can hold one
    plain: set[str] = field(default_factory=set)
    #: the document each sheet names in its header (``sheet: {document: ID}``), by sheet
    sheet_documents: dict[str, str] = field(default_factory=dict)
    #: the same with the line that names it, for messages
    sheet_document_lines: dict[str, tuple[str, int]] = field(default_factory=dict)

    def of_class(self, *classes: str) -> list[Fact]:
        return [f for f in self.facts.values() if f.cls in classes]


def as_list(value: Any) -> list:
    if value is None:
        return []
    return list(value) if isinstance(value, list) else [value]


def display(path: Path) -> str:
    """A path as the user would type it: relative to the working directory when possible."""
    try:
        return str(path.resolve().relative_to(Path.cwd().resolve()))
    except ValueError:
        return str(path)


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff]")
YAML_LINE_BREAKS = re.compile("[\x85\u2028\u2029]|\r(?!\n)")
YAML_UNPRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


class JsonLines:
    """The lines of a JSON sheet, found on demand by reading it again with the line-tracking YAML loader
    (JSON is YAML's flow style): JSON itself parses ~30x faster than YAML but keeps no lines."""

    def __init__(self, path: Path, text: str):
        self.path, self.text = path, text
        self._doc: LMap | None = None

    def doc(self) -> LMap:
        if self._doc is None:
            try:
                # Characters JSON allows raw and YAML does not (DEL, say), and those YAML takes for line breaks and
                # JSON does not (U+2028, a lone CR), become spaces: the lines stay where JSON has them.
                text = YAML_LINE_BREAKS.sub(" ", YAML_UNPRINTABLE.sub(" ", self.text))
                doc = yaml.load(text, Loader=_Loader)
            except yaml.YAMLError:
                doc = None
            self._doc = doc if isinstance(doc, LMap) else LMap()
        return self._doc

    def block(self, index: int):
        facts = self.doc().get("facts")
        return facts[index] if isinstance(facts, list) and index < len(facts) else None


def _add(seen: set[str], key: str) -> bool:
    seen.add(key)
    return False


def _json_object(pairs: list) -> dict:
    result = dict(pairs)
    if len(result) != len(pairs):
        seen: set[str] = set()
        key = next(k for k, _ in pairs if k in seen or _add(seen, k))
        raise ValueError(f"duplicate key '{key}'")
    return result


def read_sheet(path: Path) -> tuple[dict, str]:
    """Parse one sheet (YAML, or JSON for machine-written sheets), turning syntax errors into located problems;
    return it and its text."""
    name = display(path)
    data = path.read_bytes()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line, column = line_column(data, exc.start)
        raise InputError([Problem(name, line, "", f"not UTF-8 text ({exc.reason}, column {column})")]) from None
    if path.suffix == ".json":
        try:
            doc = json.loads(text, object_pairs_hook=_json_object)
        except json.JSONDecodeError as exc:
            raise InputError([Problem(name, exc.lineno, "", f"JSON syntax error: {exc.msg} (column {exc.colno})")]) from None
        except ValueError as exc:  # a duplicate key: reading it as YAML says where
            line = 0
            try:
                yaml.load(text, Loader=_Loader)
            except yaml.MarkedYAMLError as located:
                line = located.problem_mark.line + 1 if located.problem_mark else 0
            except yaml.YAMLError:
                pass
            raise InputError([Problem(name, line, "", f"{exc}")]) from None
        if not isinstance(doc, dict):
            raise InputError([Problem(name, 1, "", "a fact sheet must be an object with a 'facts' list")])
        half = half_surrogate(name, text)
        if half:
            raise InputError([half])
        return doc, text
    try:
        doc = yaml.load(text, Loader=_Loader)
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark else 0
        msg = " ".join(x for x in (exc.context, exc.problem) if x) or "YAML syntax error"
        at = f" (column {mark.column + 1})" if mark else ""
        raise InputError([Problem(name, line, "", f"YAML syntax error: {msg}{at}")]) from None
    except yaml.reader.ReaderError as exc:      # a character YAML does not allow, anywhere in the file
        line, column = _reader_position(text, exc.position)
        raise InputError([Problem(name, line, "", f"YAML error: {reader_problem(exc)} (column {column})")]) from None
    except yaml.YAMLError as exc:
        raise InputError([Problem(name, 1, "", f"YAML error: {exc}")]) from None
    if not isinstance(doc, LMap):
        raise InputError([Problem(name, 1, "", "a fact sheet must be a mapping with a 'facts' list")])
    return doc, text


def _reader_position(text: str, position: int) -> tuple[int, int]:
    """Line and column of a ReaderError's position, which libyaml counts in bytes of UTF-8."""
    if issubclass(_Loader, getattr(yaml, "CSafeLoader", ())):
        return line_column(text.encode("utf-8", errors="surrogatepass"), position)
    return line_column(text, position)


def _locate(doc: Any, path: list) -> tuple[int, str]:
    """Line and dotted field name for a JSON path inside a parsed sheet."""
    line, node, names = getattr(doc, "line", 0), doc, []
    for step in path:
        if isinstance(node, LMap) and step in node:
            line = node.key_lines.get(step, line)
            names.append(str(step))
        elif isinstance(node, LList) and isinstance(step, int) and step < len(node):
            line = node.item_lines[step]
            if names and names[-1] == "facts":
                names = []  # a fact's fields are named from the fact
            else:
                names.append(f"[{step}]")
        else:
            break
        node = node[step]
    return line, ".".join(names).replace(".[", "[")


def _schema_message(error) -> str:
    if error.validator == "required":
        return error.message.replace("is a required property", "is required")
    if error.validator == "pattern" and error.schema.get("description", "").startswith("A number"):
        return f"{error.instance!r} is not a number as printed (e.g. '1000', '4.0', '40,383')"
    if error.validator == "type" and "string" in str(error.validator_value) and isinstance(error.instance, (int, float)):
        return f"{error.instance!r} must be a quoted string, exactly as printed in the report"
    if error.validator == "additionalProperties":
        return error.message
    if error.validator in ("oneOf", "anyOf"):
        return f"{error.instance!r} is not a valid value here (an id, a literal, or {{ref, place}})"
    return error.message


def load_schema(path: Path):
    import jsonschema  # only here: it takes a tenth of a second to import

    schema = json.loads(path.read_text(encoding="utf-8"))
    cls = jsonschema.validators.validator_for(schema)
    cls.check_schema(schema)
    return cls(schema)


def _fast_check(schema: dict):
    """A compiled validator (jsonschema-rs, in Rust: 0.1 s where fastjsonschema took 2.7 s for 82,000 facts) that
    says whether a sheet is valid; the full validator (``jsonschema``) runs only on sheets it rejects, to locate
    every problem."""
    import jsonschema_rs  # lazy: only a build validates sheets; other commands import this module for its types

    validator = jsonschema_rs.validator_for(schema)

    def valid(doc) -> bool:
        try:
            return validator.is_valid(doc)
        except Exception:  # noqa: BLE001 - a value it cannot read: let the full validator judge
            return False
    return valid


def check_structure(doc: dict, name: str, validator, fast=None, lines: JsonLines | None = None) -> list[Problem]:
    """Problems of one sheet against the schema; ``validator`` is a callable that gives the full validator (made
    only when ``fast`` rejects a sheet)."""
    if fast is not None and fast(doc):
        return []
    import jsonschema  # lazy: a tenth of a second to import, and only a rejected sheet needs it

    # A JSON sheet is judged as JSON read it and located in its YAML reading (the same shape, with lines): YAML
    # reads some values otherwise (1e906 is a string to YAML, infinity to JSON).
    located = (lines.doc() or doc) if lines is not None else doc

    problems = []
    errors = sorted(validator().iter_errors(doc), key=lambda e: (list(map(str, e.absolute_path)), e.message))
    for error in errors:
        # For a failed oneOf/anyOf, the most specific sub-error says more.
        best = jsonschema.exceptions.best_match([error])
        line, fieldname = _locate(located, list(best.absolute_path))
        problems.append(Problem(name, line, fieldname, _schema_message(best)))
    return problems


def read_facts(sheets: list[Path], schema_path: Path) -> FactBase:
    """Read every sheet and check it against the schema (not yet against the ontology: ``check_meaning``);
    raise InputError listing all problems found."""
    made: list = []

    def validator():
        if not made:
            made.append(load_schema(schema_path))
        return made[0]
    fast = _fast_check(json.loads(schema_path.read_text(encoding="utf-8")))
    base = FactBase(sheets=list(sheets))
    problems: list[Problem] = []
    for path in sheets:
        name = display(path)
        try:
            doc, text = read_sheet(path)
        except InputError as exc:
            problems.extend(exc.problems)
            continue
        lines = None if isinstance(doc, LMap) else JsonLines(path, text)
        if lines is not None and "\\" not in lines.text and not CONTROL.search(lines.text):
            base.plain.add(name)
        structural = check_structure(doc, name, validator, fast, lines)
        if structural:
            problems.extend(structural)
            continue
        header = doc.get("sheet") or {}
        if header.get("document"):
            base.sheet_documents[name] = str(header["document"])
            line = getattr(header, "key_lines", {}).get("document", 1) if lines is None else 1
            base.sheet_document_lines[name] = (str(header["document"]), line)
        for index, block in enumerate(doc["facts"]):
            fact = Fact(block["id"], block["class"], name, getattr(block, "line", 0), block, index, lines)
            if fact.id in base.facts:
                first = base.facts[fact.id]
                problems.append(Problem(name, fact.line_of("id"), "id",
                                        f"duplicate id '{fact.id}' (first defined at {first.file}:{first.line})"))
                continue
            base.facts[fact.id] = fact
    raise_problems(problems)
    return base


def raise_problems(problems: list[Problem]) -> None:
    """Raise InputError with the problems (the first MAX_PROBLEMS of them), if there are any."""
    if problems:
        extra = len(problems) - MAX_PROBLEMS
        shown = problems[:MAX_PROBLEMS]
        if extra > 0:
            shown.append(Problem("", 0, "", f"... and {extra} more problems"))
        raise InputError(shown, len(problems))
