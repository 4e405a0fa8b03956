"""Coverage: which numbers printed in the report does no fact account for?

Every run of digits in the source text is a number, except:

* page numbers and footnote markers (a number alone on its line, a footnote's
  own number at the start of its text, and an inline marker glued to the text);
* web addresses (``http…`` and the lines that continue one);
* digits that are part of a name (``3C``, ``5G``, ``B2C``, ``G20``: glued to a Latin letter);
* the numbering of headings (``3.``), tables, figures and cases (``表 1``, ``图 3``, ``案例 2``).

A number is accounted for when

* a statistic's offset points at it; or
* it is a year, month or day of a date (``2020 年 4 月 7 日``, ``1-9 月``) and a fact
  stated in a part of the report that contains it records that date (``date``/``period``); or
* it is part of a name or title (``“80 后”``, ``56 号``, ``双 11``, ``《第 45 次 …》``) and a
  fact stated in a containing part carries it in a label, alias, title, or a cited work's date, issue,
  pages or address (``2020 年 1 月 14 日``, ``第 5 期``, ``P36-52``, the tail of a wrapped URL; leading zeros
  aside).

Numbers in footnotes and source lines that nothing accounts for are listed as
"bibliographic" details of the cited works.
"""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass

from kg.checks.grounding import SourceText
from kg.sheets.facts import FactBase, as_list

NUMBER = re.compile(r"\d+(?:,\d{3})*(?:\.\d+)?")
HEADING = re.compile(r"^\s*\d{1,2}\s*[.．]")
NUMBERED = re.compile(r"(表|图|案例|详见图)\s*$")
DATE_TAIL = re.compile(r"^\s*(?:[-—]\s*\d{1,4}\s*)?[年月日]")
DIGITS = re.compile(r"(?<![A-Za-z\d])\d+(?:\.\d+)?(?![A-Za-z\d])")
URL_LINE = re.compile(r"https?://|www\.|\.html?\b|\.pdf\b|\.shtml\b")


@dataclass(frozen=True)
class Number:
    start: int
    text: str
    line: int
    kind: str  # "value" or "date"


@dataclass
class Coverage:
    numbers: list[Number]
    covered: set[int]
    section_of: dict[int, str]
    bibliographic: set[int]

    @property
    def share(self) -> float:
        return len(self.covered) / len(self.numbers) if self.numbers else 1.0

    def missing(self) -> list[Number]:
        return [n for n in self.numbers if n.start not in self.covered]


def _url_lines(lines: list[str]) -> set[int]:
    """0-based indexes of lines that hold or continue a web address."""
    found = set()
    for i, line in enumerate(lines):
        if URL_LINE.search(line):
            found.add(i)
            # an address broken across lines continues on lines without spaces or CJK text
            j = i + 1
            while j < len(lines) and lines[j].strip() and re.fullmatch(r"[\x21-\x7e]+", lines[j].strip()):
                found.add(j)
                j += 1
    return found


def numbers_in(source: SourceText, footnote_starts: set[int]) -> list[Number]:
    text = source.text
    lines = text.splitlines(keepends=True)
    urls = _url_lines(lines)
    found = []
    for i, line in enumerate(lines):
        if i in urls or re.fullmatch(r"\s*\d{1,3}\s*", line):      # addresses; page numbers and lone markers
            continue
        base = source.line_starts[i]
        for m in NUMBER.finditer(line):
            before = line[m.start() - 1] if m.start() else " "
            after = line[m.end()] if m.end() < len(line) else " "
            if before.isascii() and before.isalpha() or after.isascii() and after.isalpha():
                continue                                            # 3C, B2C, G20, 5G
            if i + 1 in footnote_starts and m.start() == len(line) - len(line.lstrip()):
                continue                                            # a footnote's own number
            if _inline_marker(line, m):
                continue
            if (HEADING.match(line) and m.start() == len(line) - len(line.lstrip())) or NUMBERED.search(line[:m.start()]):
                continue                                            # numbering of headings, tables, figures
            is_date = bool(DATE_TAIL.match(line[m.end():])) or (
                len(m.group()) == 4 and m.group().startswith(("19", "20")) and line[m.end():m.end() + 1] != "%")
            found.append(Number(base + m.start(), m.group(), i + 1, "date" if is_date else "value"))
    return found


def _inline_marker(line: str, m: re.Match) -> bool:
    """A footnote marker glued between CJK text, e.g. '较低，15沿线' or '榜上有名。18'."""
    before = line[:m.start()].rstrip()
    after = line[m.end():]
    if not before or not after:
        return False
    return (before[-1] in "，。；”》）" and "\u4e00" <= after[:1] <= "\u9fff" and len(m.group()) <= 2
            and not after.startswith(("年", "月", "日", "个", "次", "家", "种", "万", "亿", "%")))


def date_parts(value: str) -> set[str]:
    parts = set()
    for piece in re.split(r"[/\s]", str(value)):
        for i, part in enumerate(piece.split("-")):
            if part.isdigit():
                parts.add(str(int(part)) if i else part)
    return parts


def measure(base: FactBase, source: SourceText) -> Coverage:
    parts = {f.id: f for f in base.facts.values() if "lineStart" in f.data}
    spans = {pid: source.span(p.data["lineStart"], p.data["lineEnd"]) for pid, p in parts.items()}
    footnote_starts = {p.data["lineStart"] for p in parts.values() if p.cls == "Footnote"}
    numbers = numbers_in(source, footnote_starts)
    covered: set[int] = set()
    grounded: set[int] = set()
    for fact in base.of_class("Statistic", "Mention"):
        for key, vkey in (("offset", "value"), ("upperOffset", "upperValue")):
            if key in fact.data:
                grounded.update(range(fact.data[key], fact.data[key] + len(fact.data[vkey])))
    names_by_part: dict[str, set[str]] = defaultdict(set)
    for fact in base.facts.values():
        if fact.cls in ("Section", "Report"):
            continue                                  # our own short names, not the report's
        texts = list((fact.data.get("label") or {}).values())
        for names in (fact.data.get("aliases") or {}).values():
            texts += names
        texts += [str(fact.data[k]) for k in ("title", "author", "date", "issue", "pages", "url") if k in fact.data]
        tokens = {d.lstrip("0") or "0" for text in texts for d in DIGITS.findall(str(text))}
        for place in fact.places() or ([fact.id] if fact.id in parts else []):
            names_by_part[place] |= tokens
    dates_by_part: dict[str, set[str]] = defaultdict(set)
    for fact in base.facts.values():
        stamps = [fact.data[k] for k in ("date", "period") if k in fact.data]
        if not stamps:
            continue
        for place in fact.places() or ([fact.id] if fact.id in parts else []):
            for stamp in stamps:
                for value in as_list(stamp):
                    dates_by_part[place] |= date_parts(value)
    for number in numbers:
        containing = [pid for pid, (lo, hi) in spans.items() if lo <= number.start < hi]
        plain = number.text.replace(",", "")
        by_statistic = number.start in grounded
        by_date = number.kind == "date" and any(
            plain.lstrip("0") in {d.lstrip("0") for d in dates_by_part.get(pid, ())} for pid in containing)
        by_name = any((plain.lstrip("0") or "0") in names_by_part.get(pid, ()) for pid in containing)
        if by_statistic or by_date or by_name:
            covered.add(number.start)
    section_of = {}
    sections = sorted(((hi - lo, pid) for pid, (lo, hi) in spans.items() if parts[pid].cls == "Section"))
    for number in numbers:
        for _, pid in sections:
            lo, hi = spans[pid]
            if lo <= number.start < hi:
                section_of[number.start] = pid
                break
    notes = [spans[pid] for pid, p in parts.items() if p.cls == "Footnote"]
    def line_text(n: Number) -> str:
        return source.text[source.line_starts[n.line - 1]:source.line_starts[n.line]]

    source_lines = [source.span(n.line, n.line) for n in numbers if line_text(n).lstrip().startswith(("数据来源", "资料来源"))]
    bibliographic = {n.start for n in numbers if any(lo <= n.start < hi for lo, hi in notes + source_lines)}
    return Coverage(numbers, covered, section_of, bibliographic)


def report(cov: Coverage, source: SourceText, limit: int | None = None) -> str:
    by_section: dict[str, list[Number]] = defaultdict(list)
    for n in cov.numbers:
        by_section[cov.section_of.get(n.start, "?")].append(n)
    out = [f"{'section':<12}{'numbers':>8}{'covered':>8}"]
    for section in sorted(by_section, key=lambda s: min(n.start for n in by_section[s])):
        nums = by_section[section]
        done = sum(1 for n in nums if n.start in cov.covered)
        out.append(f"{section:<12}{len(nums):>8}{done:>8}")
    missing = cov.missing()
    out.append("")
    out.append(f"not accounted for: {len(missing)}")
    for n in missing[:limit]:
        line = source.text[source.line_starts[n.line - 1]:source.line_starts[n.line]].strip()
        kind = "bibliographic" if n.start in cov.bibliographic else n.kind
        out.append(f"  {cov.section_of.get(n.start, '?'):<10} line {n.line:<5} {n.text:<10} {kind:<13} {line[:60]}")
    out.append("")
    out.append(f"covered: {len(cov.covered)} of {len(cov.numbers)} numbers ({cov.share:.1%})")
    return "\n".join(out)
