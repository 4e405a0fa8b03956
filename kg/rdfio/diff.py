"""Release diffs: two built graphs compared as sets of triples, grouped by subject, values shown as changes.

A side is a ``dist/`` folder (its ``cbec-kg.nt``, or ``cbec-kg.ttl`` when the N-Triples are absent) or one
Turtle / N-Triples file. Triples are compared by their N-Triples text; the facts layer has no blank nodes
and the ontology's are labelled by content, so equal graphs give an empty diff.

>>> value = VALUED[0]
>>> a = {("<s>", value, '"1"')}; b = {("<s>", value, '"2"')}
>>> d = compare(a, b, labels={})
>>> [c.old for c in d.changed], [c.new for c in d.changed]
(['"1"'], ['"2"'])
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

import pyoxigraph

from kg.names import BASE, GRAPH_FILE, NTRIPLES_FILE
from kg.sheets.errors import InputError, Problem

Triple = tuple[str, str, str]
LABEL = "<http://www.w3.org/2000/01/rdf-schema#label>"
#: properties with one value per subject: a different value in the new graph is a change
VALUED = tuple(f"<{BASE}ontology#{name}>" for name in
               ("value", "normalizedValue", "printedValue", "upperValue", "period", "unit", "startOffset", "endOffset"))
FORMATS = {".nt": pyoxigraph.RdfFormat.N_TRIPLES, ".ttl": pyoxigraph.RdfFormat.TURTLE}


@dataclass
class Change:
    subject: str
    predicate: str
    old: str
    new: str


@dataclass
class Diff:
    added: list[Triple] = field(default_factory=list)
    removed: list[Triple] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    labels: dict[str, str] = field(default_factory=dict)

    @property
    def empty(self) -> bool:
        return not (self.added or self.removed)


def _bad(path: Path, message: str) -> InputError:
    return InputError([Problem(str(path), 0, "", message)])


def graph_file(path: Path) -> Path:
    """The file that holds a side: the folder's N-Triples (else Turtle), or the file itself."""
    if path.is_dir():
        for name in (NTRIPLES_FILE, GRAPH_FILE):
            if (path / name).is_file():
                return path / name
        raise _bad(path, f"no {NTRIPLES_FILE} or {GRAPH_FILE} in this folder (a built dist/ is expected)")
    if not path.is_file():
        raise _bad(path, "no such file or folder")
    if path.suffix not in FORMATS:
        raise _bad(path, "give a dist/ folder, a .ttl or a .nt file")
    return path


def read_lines(path: Path) -> set[str]:
    """The triples of one side as N-Triples lines (a sorted N-Triples file is read as it is, line by line)."""
    source = graph_file(path)
    try:
        if source.suffix == ".nt":
            with source.open(encoding="utf-8") as f:
                return {line.rstrip("\n") for line in f if line.strip() and not line.startswith("#")}
        quads = pyoxigraph.parse(path=str(source), format=FORMATS[source.suffix])
        return {f"{q.subject} {q.predicate} {q.object} ." for q in quads}
    except (SyntaxError, ValueError, OSError) as err:
        raise _bad(source, f"cannot read it as RDF: {err}") from None


def split(line: str) -> Triple:
    """An N-Triples line's three terms (subjects and predicates hold no spaces)."""
    s, p, rest = line.split(" ", 2)
    return s, p, rest[:-2] if rest.endswith(" .") else rest


def read_triples(path: Path) -> set[Triple]:
    return {split(line) for line in read_lines(path)}


def labels_of(sides: list[set[str]], subjects: set[str], lang: str = "zh") -> dict[str, str]:
    """A label for each of ``subjects``: from the first side that has one, in ``lang`` before any other."""
    found: dict[str, tuple[int, str]] = {}
    for rank_side, lines in enumerate(sides):
        for line in sorted(x for x in lines if f" {LABEL} " in x):
            s, _, o = split(line)
            rank = rank_side * 2 + (0 if o.endswith(f"@{lang}") else 1)
            if s in subjects and (s not in found or rank < found[s][0]):
                found[s] = (rank, o.rsplit("@", 1)[0].strip('"'))
    return {s: text for s, (_, text) in found.items()}


def compare(old: set[Triple], new: set[Triple], labels: dict[str, str] | None = None) -> Diff:
    """What ``new`` adds to and removes from ``old``; one-valued properties that differ are changes."""
    added, removed = sorted(new - old), sorted(old - new)
    gone = {(s, p): o for s, p, o in removed if p in VALUED}
    changed = [Change(s, p, gone[(s, p)], o) for s, p, o in added if (s, p) in gone]
    return Diff(added, removed, changed, labels or {})


def diff_paths(old: Path, new: Path, lang: str = "zh") -> Diff:
    """Two sides compared line by line; only the lines that differ are split into terms."""
    a, b = read_lines(old), read_lines(new)
    d = compare({split(x) for x in a - b}, {split(x) for x in b - a})
    d.labels = labels_of([b, a], {t[0] for t in d.added + d.removed}, lang)
    return d


def write_changes(previous: Path, staging: Path) -> Path:
    """``CHANGES.md`` in a new build: its graph against the build it replaces (none: says so)."""
    out = staging / "CHANGES.md"
    if graph_file_or_none(previous) is None:
        out.write_text("# Changes from the previous build\n\nNo previous build to compare with.\n", encoding="utf-8")
    else:
        out.write_text(as_markdown(diff_paths(previous, staging), "Changes from the previous build"), encoding="utf-8")
    return out


def graph_file_or_none(path: Path) -> Path | None:
    try:
        return graph_file(path)
    except InputError:
        return None


def line(t: Triple) -> str:
    return f"{t[0]} {t[1]} {t[2]} ."


def as_json(d: Diff) -> str:
    data = {"added": [line(t) for t in d.added], "removed": [line(t) for t in d.removed],
            "changed": [{"subject": c.subject.strip("<>"), "label": d.labels.get(c.subject, ""),
                         "predicate": c.predicate.strip("<>"), "old": c.old, "new": c.new} for c in d.changed]}
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def _short(term: str) -> str:
    if term == LABEL:
        return "rdfs:label"
    if term.startswith(f"<{BASE}"):
        return term[len(BASE) + 1:-1].replace("ontology#", "cbo:").replace("resource/", "cbr:")
    return term


def as_markdown(d: Diff, title: str = "Changes") -> str:
    """Grouped by subject with its label; a changed value on one line as old → new."""
    out = [f"# {title}", "",
           f"{len(d.added)} triples added, {len(d.removed)} removed, {len(d.changed)} values changed.", ""]
    if d.empty:
        return "\n".join(out[:2] + ["No change: the two graphs hold the same triples.", ""])
    changes = {(c.subject, c.predicate) for c in d.changed}
    subjects = sorted({t[0] for t in d.added + d.removed})
    for s in subjects:
        name = d.labels.get(s)
        out.append(f"## {name} ({_short(s)})" if name else f"## {_short(s)}")
        out += [f"- changed {_short(c.predicate)}: {c.old} → {c.new}" for c in d.changed if c.subject == s]
        out += [f"- added: {_short(p)} {_short(o)}" for t, (_, p, o) in ((t, t) for t in d.added)
                if t[0] == s and (s, p) not in changes]
        out += [f"- removed: {_short(p)} {_short(o)}" for t, (_, p, o) in ((t, t) for t in d.removed)
                if t[0] == s and (s, p) not in changes]
        out.append("")
    return "\n".join(out)
