"""Ideographs a PDF's font stores as radical code points (民 as ⺠, 户 as ⼾): mapped back to the
unified ideographs they look like, through Unicode's Equivalent_Unified_Ideograph table."""

from __future__ import annotations

import unicodedata
from functools import cache
from pathlib import Path

# Unicode's Equivalent_Unified_Ideograph property (the UCD file, vendored from Debian's
# unicode-data 15.0): each CJK radical or stroke and the unified ideograph it looks like.
_EQUIVALENT_IDEOGRAPHS = Path(__file__).parent / "data" / "EquivalentUnifiedIdeograph.txt"


# Kangxi radicals whose ideograph (NFKC) is a traditional form, with the simplified form
# a mainland disclosure prints.
_SIMPLIFIED_RADICALS = {
    "⼾": "户", "⾒": "见", "⾙": "贝", "⾞": "车", "⾨": "门", "⾴": "页", "⾵": "风", "⾶": "飞",
    "⾺": "马", "⿂": "鱼", "⿃": "鸟", "⿄": "卤", "⿆": "麦", "⾧": "长", "⾱": "韦", "⿈": "黄",
    "⿑": "齐", "⿒": "齿", "⿓": "龙", "⿔": "龟", "⾭": "青", "⾾": "斗", "⿌": "黾",
}  # fmt: skip


@cache
def _ideograph_table() -> dict[int, str]:
    # Kangxi radicals have a compatibility mapping to their ideographs (NFKC), the traditional
    # forms; a simplified-Chinese font that shows 户 maps it back to ⼾ (U+2F3E), so where the
    # simplified form differs, it is the one printed ...
    table = {point: unicodedata.normalize("NFKC", chr(point)) for point in range(0x2F00, 0x2FD6)}
    table.update((ord(radical), simplified) for radical, simplified in _SIMPLIFIED_RADICALS.items())
    # ... the CJK Radicals Supplement and CJK Strokes only this table.
    for raw in _EQUIVALENT_IDEOGRAPHS.read_text(encoding="utf-8").splitlines():
        line = raw.split("#", 1)[0].strip()
        if not line:
            continue
        points, ideograph = (field.strip() for field in line.split(";"))
        first, _, last = points.partition("..")
        for point in range(int(first, 16), int(last or first, 16) + 1):
            table.setdefault(point, chr(int(ideograph, 16)))
    return table


def as_ideographs(text: str) -> str:
    """Radicals a font put where ideographs were printed, as the ideographs."""
    return text.translate(_ideograph_table())
