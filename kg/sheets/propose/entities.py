"""The graph's entities named in a sentence: candidate subjects (``about``) of a number.

Names are the labels and aliases of the sheets' non-statistic blocks (:mod:`document`). They are looked for in
the text with its whitespace removed (the PDF breaks lines inside words) and case folded, longest name first,
so 中国香港 is Hong Kong and not China. Candidates are ordered by how near they stand to the number.

>>> finder = NameFinder({"中国": ["CN"], "中国香港": ["HK"], "速卖通": ["aliexpress"], "AliExpress": ["aliexpress"]})
>>> finder.near("4 中国香港 350", 2)
['HK', 'CN']
>>> finder.near("全球速\\n\\n卖通在中国", 0)
['aliexpress', 'CN']
"""

from __future__ import annotations

import re


class NameFinder:
    """Finds the ids of the names in a text."""

    def __init__(self, names: dict[str, list[str]]):
        self.ids: dict[str, list[str]] = {}
        for name, ids in names.items():
            key = re.sub(r"\s+", "", name).casefold()
            if len(key) >= 2 and not key.isdigit():
                self.ids.setdefault(key, [])
                self.ids[key] += [i for i in ids if i not in self.ids[key]]
        self.by_first: dict[str, list[str]] = {}
        for key in sorted(self.ids, key=len, reverse=True):
            self.by_first.setdefault(key[0], []).append(key)

    def found(self, text: str) -> list[tuple[int, list[str], str]]:
        """(position in ``text``, ids, the name as matched) for each name, leftmost-longest, not overlapping; the ids of names that
        are prefixes of the longest follow its own (a name inside a longer one may be the one meant)."""
        keep = [i for i, ch in enumerate(text) if not ch.isspace()]
        squeezed = "".join(text[i] for i in keep).casefold()
        hits, pos = [], 0
        while pos < len(squeezed):
            names = [k for k in self.by_first.get(squeezed[pos], ()) if squeezed.startswith(k, pos)]
            if names:   # the longest first; shorter ones too (中国网民: 中国网, and 中国)
                ids = [i for name in names for i in self.ids[name]]
                hits.append((keep[pos], list(dict.fromkeys(ids)), names[0]))
                pos += len(names[0])
            else:
                pos += 1
        return hits

    def near(self, text: str, position: int, limit: int = 8) -> list[str]:
        """The ids named in ``text``, nearest to ``position`` first, each once."""
        hits = sorted(self.found(text), key=lambda hit: (abs(hit[0] - position), hit[0]))
        out: list[str] = []
        for _, ids, _ in hits:
            out += [i for i in ids if i not in out]
        return out[:limit]

    def in_order(self, text: str) -> list[tuple[str, list[str]]]:
        """Each name (as matched) and its ids, in reading order (a table row's cells)."""
        return [(name, ids) for _, ids, name in self.found(text)]
