"""Fidelity: checks that the sheets model what the report says the way it says it.

Each check looks for one kind of modelling fault a hand audit found, and returns located problems:

``percentage-points``
    a difference between two shares or rates (表5's change column, "高出 … 7.4 个百分点") is in percentage
    points, not per cent;
``periods`` (and ``period-notes``)
    a figure whose period the report does not print says so (``qualifier: period-not-stated`` with a ``note``),
    and a figure the report states about the future ("将", "预计") carries ``forecast``;
``uncited-sources``, ``attributions``, ``measure-reuse``
    every source is cited by some fact, a figure whose sentence names whose data it is ("商务部数据显示")
    cites that body's data, and a measure holds one quantity;
``codes``, ``group-members``
    countries carry valid ISO 3166 codes (checked by ``pycountry``), regions their UN M49 code where one
    exists, and a grouping lists a member only at a place where the report names it;
``ranges``
    a printed range (40%-50%, 100 到 400 人) has both ends, each with its offset;
``subjects``
    a figure is ``about`` every entity its label or the clause it is printed in names;
``one-node``
    the same figure for the same thing is one statistic, its other printings ``Mention`` blocks of it.

The checks of figures themselves are in ``kg.checks.fidelity_figures``, those of what figures point to
(subjects, sources, codes) in ``kg.checks.fidelity_refs``; this module runs them.

A block may be exempt from a check with ``waive: {check: reason}``; a waiver for an unknown check, or one
that the check would not have needed, is itself a problem. The checks that read the report's text (sentences,
places) are skipped when it is not given.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from kg.checks.fidelity_figures import (
    check_one_node,
    check_percentage_points,
    check_period_notes,
    check_printed_periods,
    check_ranges,
)
from kg.checks.fidelity_refs import (
    check_attributions,
    check_codes,
    check_group_members,
    check_measure_reuse,
    check_subjects,
    check_uncited_sources,
)
from kg.checks.grounding import SourceText, default_source
from kg.model.ontology import Vocabulary
from kg.sheets.errors import CheckError, Problem
from kg.sheets.facts import Fact, FactBase

Check = Callable[..., Iterable[tuple[Fact, str, str]]]


# --- running the checks ------------------------------------------------------------------------------------

def checks() -> dict[str, tuple[Check, bool]]:
    """Each check by name, with whether it needs the report's text. A check is called with the facts, the text
    (or None) and the ontology's vocabulary."""
    return {
        "percentage-points": (check_percentage_points, False),
        "period-notes": (check_period_notes, False),
        "periods": (check_printed_periods, True),
        "uncited-sources": (check_uncited_sources, False),
        "attributions": (check_attributions, True),
        "measure-reuse": (check_measure_reuse, False),
        "codes": (check_codes, False),
        "ranges": (check_ranges, False),
        "subjects": (check_subjects, True),
        "one-node": (check_one_node, False),
        "group-members": (check_group_members, True),
    }


def fidelity_problems(base: FactBase, source: SourceText | None, vocab: Vocabulary,
                      only: Iterable[str] | None = None) -> list[Problem]:
    """The problems every check (or those named in ``only``) finds, less the waived ones; unknown or unneeded
    waivers are problems too (an unneeded one only when its check ran with the report's text, since without it
    the checks see less)."""
    known = checks()
    chosen = [name for name in known if only is None or name in set(only)]
    used: set[tuple[str, str]] = set()
    problems: list[Problem] = []
    ran: set[str] = set()
    for name in chosen:
        check, needs_text = known[name]
        if needs_text and source is None:
            continue
        ran.add(name)
        for fact, key, message in check(base, source, vocab):
            if name in (fact.data.get("waive") or {}):
                used.add((fact.id, name))
                continue
            problems.append(Problem(fact.file, fact.line_of(key), key, f"[{name}] {fact.id}: {message}"))
    for fact in base.facts.values():
        for name in fact.data.get("waive") or {}:
            if name not in known:
                problems.append(Problem(fact.file, fact.line_of("waive"), "waive",
                                        f"unknown check '{name}' (checks: {', '.join(known)})"))
            elif name in ran and source is not None and (fact.id, name) not in used:
                problems.append(Problem(fact.file, fact.line_of("waive"), "waive",
                                        f"[{name}] {fact.id}: waived, but the check finds nothing to waive here"))
    return problems


def raise_fidelity(base: FactBase, source: SourceText | None, vocab: Vocabulary) -> None:
    """Raise CheckError (exit 1) listing what the fidelity checks find, if anything."""
    problems = fidelity_problems(base, source, vocab)
    if problems:
        shown = "\n".join(f"  {p}" for p in problems[:40])
        more = f"\n  ... and {len(problems) - 40} more" if len(problems) > 40 else ""
        raise CheckError(f"fidelity: {len(problems)} problem(s) (waive one with 'waive: {{check: reason}}' "
                         f"only where the report bears it out)\n{shown}{more}")


def report_text(root) -> SourceText | None:
    """The report's text when it is where the grounding checks look for it, else None."""
    path = default_source(root)
    return SourceText.read(path) if path.exists() else None
