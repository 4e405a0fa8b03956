"""Synthetic fact sheets in the project's own format, for scale tests and benchmarks.

``generate(root, statistics)`` writes a project folder (the ontology, the report's
structure, units, the countries of 表1 and the saved queries, copied from this
project, plus synthetic sheets) whose facts have the report's shapes: companies
based in countries, platforms operated by companies, brands sold on platforms,
and statistics with measure, unit, period, subjects, place and cited source.
The same ``statistics`` and ``seed`` always give the same files. Sheets are
YAML, or JSON (the same schema; what a program that writes sheets would use,
and ~30x faster to read at 10^5 facts).
"""

from __future__ import annotations

import json
import random
import shutil
from pathlib import Path

import yaml

from kg.project import Project

COUNTRIES = ["CN", "US", "GB", "HK", "JP", "DE", "FR", "IT", "KR", "NL"]
PLACES = ["s2-2-1", "s2-2-2", "s2-2-3", "s2-3-1", "s2-3-2", "s3-1", "s3-2-2", "table1", "table2"]
UNITS = ["unit-percent", "unit-usd-100m", "unit-usd-million", "unit-count"]
BLOCK = 5000          # facts per sheet


def _value(rng: random.Random) -> str:
    whole = rng.randint(0, 99999)
    return f"{whole:,}" if rng.random() < 0.3 else f"{whole / 10:.1f}"


def synthetic_facts(statistics: int, seed: int = 1) -> list[dict]:
    rng = random.Random(seed)
    entities = max(3, statistics // 10)
    facts: list[dict] = []
    measures = max(3, statistics // 200)
    for m in range(measures):
        facts.append({"id": f"syn-m{m}", "class": "Measure", "label": {"zh": f"合成指标 {m}", "en": f"synthetic measure {m}"}})
    facts.append({"id": "syn-source", "class": "Source", "label": {"zh": "合成数据", "en": "synthetic data"},
                  "place": "s1-2"})
    for i in range(entities):
        kind = i % 3
        block = {"id": f"syn-e{i}", "label": {"zh": f"合成实体 {i}", "en": f"Synthetic entity {i}"},
                 "place": rng.choice(PLACES)}
        if kind == 0:
            block.update({"class": "Company", "basedIn": rng.choice(COUNTRIES)})
        elif kind == 1:
            block.update({"class": "Platform", "operatedBy": f"syn-e{i - 1}", "servesMarket": rng.sample(COUNTRIES, 2)})
        else:
            block.update({"class": "Brand", "sellsOn": f"syn-e{i - 1}", "brandOf": f"syn-e{i - 2}"})
        facts.append(block)
    for s in range(statistics):
        about = f"syn-e{rng.randrange(entities)}"
        year = rng.randint(2010, 2020)
        facts.append({"id": f"syn-s{s}", "class": "Statistic",
                      "label": {"zh": f"合成数字 {s}", "en": f"synthetic figure {s}"},
                      "measure": f"syn-m{rng.randrange(measures)}", "about": about, "value": _value(rng),
                      "unit": rng.choice(UNITS), "period": str(year), "place": rng.choice(PLACES),
                      "citesSource": "syn-source"})
    return facts


def generate(root: Path, statistics: int, seed: int = 1, source: Project | None = None, fmt: str = "yaml") -> Project:
    """Write a synthetic project under ``root`` and return it; ``fmt`` is the synthetic sheets' format, yaml or json."""
    if fmt not in ("yaml", "json"):
        raise ValueError(f"unknown sheet format '{fmt}': use yaml or json")
    source = source or Project.find()
    if root.exists():
        shutil.rmtree(root)
    (root / "facts").mkdir(parents=True)
    shutil.copytree(source.root / "ontology", root / "ontology")
    shutil.copytree(source.queries_dir, root / "queries")
    for name in ("schema.json", "report.yaml", "units.yaml", "table1.yaml", "sources.yaml", "places.yaml",
                 "organisations.yaml", "alibaba.yaml", "business-models.yaml"):
        shutil.copy(source.facts_dir / name, root / "facts" / name)
    facts = synthetic_facts(statistics, seed)
    for n, start in enumerate(range(0, len(facts), BLOCK)):
        sheet = {"sheet": {"title": {"zh": f"合成数据 {n}", "en": f"synthetic data {n}"}}, "facts": facts[start:start + BLOCK]}
        text = (json.dumps(sheet, ensure_ascii=False, indent=1) + "\n" if fmt == "json"
                else yaml.safe_dump(sheet, allow_unicode=True, sort_keys=False, width=200))
        (root / "facts" / f"synthetic-{n:04d}.{fmt}").write_text(text, encoding="utf-8")
    return Project.find(root)
