"""The ways a person mistypes a fact sheet, as functions of a seeded random source and the sheet's text.

Each mutation takes ``(rng, text)`` and returns the changed text; ``MUTATIONS`` names them. They work on any
sheet, YAML or JSON, and never look at what the sheet means: a mutation may leave it valid (a re-indented
comment, a swapped pair of keys), and that is part of the test.
"""

from __future__ import annotations

import random
import re

KEY_LINE = re.compile(r"^(\s*-?\s*)([\"']?)([A-Za-z][A-Za-z0-9_]*)([\"']?)(\s*:)(.*)$")
ID_VALUE = re.compile(r"""(\bid["']?\s*:\s*)["']?([A-Za-z0-9_.-]+)""")
CONTROL = [chr(c) for c in range(0x00, 0x20) if c not in (0x0A,)] + ["\x7f", "\x85", "\u2028", "\u2029", "\ufeff",
                                                                      "\ufffe", "\ud800"]
YAML_TRICKS = ["&a ", "*a", "<<: *a", "!!int ", "!!float ", "!!str ", "!!binary ", "!!python/object:os.system ",
               "!!python/name:os.system", "!custom ", "!!map ", "!!seq ", "!!set ", "!!omap ", "? ", "--- ", "...",
               "%YAML 1.1\n", "%TAG ! tag:x,2000:\n", "&anchor [1, 2]", "*undefined", "!<tag:yaml.org,2002:int> "]


def _lines(text: str) -> list[str]:
    return text.split("\n")


def _pick(rng: random.Random, lines: list[str], where=lambda line: True) -> int | None:
    found = [i for i, line in enumerate(lines) if where(line)]
    return rng.choice(found) if found else None


def delete_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    del lines[rng.randrange(len(lines))]
    return "\n".join(lines)


def repeat_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    lines[at:at] = [lines[at]] * rng.choice([1, 1, 2, 5])
    return "\n".join(lines)


def swap_lines(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    a = rng.randrange(len(lines))
    b = min(len(lines) - 1, a + rng.choice([1, 1, 2, 3])) if rng.random() < 0.7 else rng.randrange(len(lines))
    lines[a], lines[b] = lines[b], lines[a]
    return "\n".join(lines)


def reindent_line(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    at = rng.randrange(len(lines))
    body = lines[at].lstrip(" ")
    indent = len(lines[at]) - len(body)
    new = rng.choice([0, 1, max(0, indent - 2), indent + 1, indent + 2, indent + 4])
    lines[at] = ("\t" if rng.random() < 0.15 else " " * new) + body
    return "\n".join(lines)


def to_bytes(text: str) -> bytes:
    """A mutated sheet's bytes: a cut multi-byte character (kept as surrogate escapes) stays cut; a lone surrogate
    is written as its three bytes."""
    try:
        return text.encode("utf-8", errors="surrogateescape")
    except UnicodeEncodeError:
        return text.encode("utf-8", errors="surrogatepass")


def truncate(rng: random.Random, text: str) -> str:
    """Cut the file short, sometimes in the middle of a multi-byte character (the bytes are then not UTF-8)."""
    data = to_bytes(text)
    cut = rng.randrange(len(data)) if data else 0
    return data[:cut].decode("utf-8", errors="surrogateescape")


def control_character(rng: random.Random, text: str) -> str:
    at = rng.randrange(len(text) + 1)
    return text[:at] + rng.choice(CONTROL) + text[at:]


def nul_escape(rng: random.Random, text: str) -> str:
    """``\\u0000`` as a value: typed plain (six characters), or as an escape in double quotes (a real NUL)."""
    lines = _lines(text)
    at = _pick(rng, lines, lambda line: KEY_LINE.match(line) is not None)
    if at is None:
        return control_character(rng, text)
    m = KEY_LINE.match(lines[at])
    value = rng.choice(["\\u0000", '"\\u0000"', '"a\\u0000b"', "'\\u0000'", "\\0", '"\\x00"', '"\\uFFFE"', '"\\ud800"'])
    lines[at] = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}{m.group(5)} {value}"
    return "\n".join(lines)


def long_number(rng: random.Random, text: str) -> str:
    """A 400-digit number (or longer) where a value was: bare, quoted, negative, with a fraction or exponent."""
    lines = _lines(text)
    at = _pick(rng, lines, lambda line: KEY_LINE.match(line) is not None)
    if at is None:
        return text + "\n" + "9" * 400
    m = KEY_LINE.match(lines[at])
    digits = "".join(rng.choice("0123456789") for _ in range(rng.choice([400, 400, 5000])))
    value = rng.choice([digits, f'"{digits}"', f"-{digits}", f"{digits}.5", f"1e{digits[:3]}", f"0x{digits[:40]}",
                        f"{digits[:3]},{digits[3:6]}"])
    lines[at] = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}{m.group(5)} {value}"
    return "\n".join(lines)


def anchor_or_tag(rng: random.Random, text: str) -> str:
    """A YAML anchor, alias, merge key, tag or directive put before a value or at the start of a line."""
    lines = _lines(text)
    at = _pick(rng, lines, lambda line: KEY_LINE.match(line) is not None)
    trick = rng.choice(YAML_TRICKS)
    if at is None or rng.random() < 0.25:
        at = rng.randrange(len(lines))
        lines[at:at] = [trick]
        return "\n".join(lines)
    m = KEY_LINE.match(lines[at])
    lines[at] = f"{m.group(1)}{m.group(2)}{m.group(3)}{m.group(4)}{m.group(5)} {trick}{m.group(6).strip()}"
    return "\n".join(lines)


def duplicate_id(rng: random.Random, text: str) -> str:
    """One block's id given to another block of the same sheet (or to itself twice)."""
    ids = ID_VALUE.findall(text)
    if len(ids) < 2:
        return repeat_line(rng, text)
    (_, taken), (_, target) = rng.sample(ids, 2)
    spots = [m for m in ID_VALUE.finditer(text) if m.group(2) == target]
    m = rng.choice(spots)
    return text[:m.start(2)] + taken + text[m.end(2):]


def misspell_key(rng: random.Random, text: str) -> str:
    lines = _lines(text)
    at = _pick(rng, lines, lambda line: KEY_LINE.match(line) is not None)
    if at is None:
        return delete_line(rng, text)
    m = KEY_LINE.match(lines[at])
    key = m.group(3)
    i = rng.randrange(len(key))
    how = rng.choice(["drop", "double", "swap", "case", "wrong"])
    if how == "drop" and len(key) > 1:
        key = key[:i] + key[i + 1:]
    elif how == "double":
        key = key[:i] + key[i] + key[i:]
    elif how == "swap" and len(key) > 1:
        i = min(i, len(key) - 2)
        key = key[:i] + key[i + 1] + key[i] + key[i + 2:]
    elif how == "case":
        key = key.swapcase()
    else:
        key = key[:i] + rng.choice("qxzj_") + key[i + 1:]
    lines[at] = f"{m.group(1)}{m.group(2)}{key}{m.group(4)}{m.group(5)}{m.group(6)}"
    return "\n".join(lines)


MUTATIONS = {
    "delete_line": delete_line, "repeat_line": repeat_line, "swap_lines": swap_lines,
    "reindent_line": reindent_line, "truncate": truncate, "control_character": control_character,
    "nul_escape": nul_escape, "long_number": long_number, "anchor_or_tag": anchor_or_tag,
    "duplicate_id": duplicate_id, "misspell_key": misspell_key,
}


def mutate(rng: random.Random, text: str) -> tuple[str, str]:
    """One mutation, or (one time in eight) two to four of them in a row (kind 'several'); return (kind, text)."""
    if rng.random() < 0.125:
        for _ in range(rng.randint(2, 4)):
            text = MUTATIONS[rng.choice(sorted(MUTATIONS))](rng, text)
        return "several", text
    kind = rng.choice(sorted(MUTATIONS))
    return kind, MUTATIONS[kind](rng, text)
