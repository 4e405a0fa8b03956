"""Unit words: what may follow a number, and the Unit of ``facts/units.yaml`` each stands for.

The printed word is kept (``unitWord``); the unit id lets an accepted candidate drop into a sheet. Words the
units file has no symbol for (家, 种, 岁, 元人民币 …) are mapped here to the unit they count in.

>>> UNIT_OF["亿美元"], UNIT_OF["家"], UNIT_OF["岁"], UNIT_OF["万亿"]
('unit-usd-100m', 'unit-count', 'unit-year', None)
"""

from __future__ import annotations

import re

#: printed unit word -> unit id (facts/units.yaml; None where the file has no such unit); longest words first
UNIT_OF: dict[str, str | None] = {
    "万亿美元": "unit-usd-trillion", "亿美元": "unit-usd-100m", "百万美元": "unit-usd-million",
    "万美元": "unit-usd-10k", "美元": "unit-usd",
    "万亿元": "unit-cny-trillion", "亿元": "unit-cny-100m", "万元": "unit-cny-10k", "元": "unit-cny",
    "万亿": None, "亿": "unit-count-100m", "万": "unit-count-10k",
    "%": "unit-percent", "％": "unit-percent", "个百分点": "unit-percentage-point", "百分点": "unit-percentage-point",
    "倍": "unit-multiple", "成": "unit-percent",
    "人": "unit-person", "名": "unit-person",
    "个": "unit-count", "家": "unit-count", "种": "unit-count", "条": "unit-count", "架次": "unit-count",
    "次": "unit-count", "国": "unit-count", "座": "unit-count", "款": "unit-count", "笔": "unit-count",
    "公斤": "unit-kg", "千克": "unit-kg", "天": "unit-day", "小时": "unit-hour", "年": "unit-year",
    "岁": "unit-year", "平米": "unit-sqm", "平方米": "unit-sqm",
}
#: words printed after 元/亿元/万元 that change nothing (亿元人民币 is 亿元)
CURRENCY_TAIL = "人民币"
#: a unit word as a regular expression, longest first ("万亿元" before "万" before "元")
UNIT_WORD = "|".join(re.escape(w) for w in sorted(UNIT_OF, key=len, reverse=True))
#: 成 is tenths: 四成 is 40 %
TENTHS = "成"

