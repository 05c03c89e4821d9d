"""Amounts as printed in a disclosure, read exactly.

Disclosures print money as `3,056.75`, `３０５６.７５`, `268200`, blank, `-` or `—`.
Everything here returns `decimal.Decimal` (never float) so that a figure survives
the trip from the page to the warehouse unchanged. A blank cell is `None`: it counts
as 0 in a sum but must stay distinguishable from a stated 0 (docs/data-contracts.md, Money).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

# Cells that mean "nothing stated" rather than zero.
BLANK_MARKERS = frozenset({"", "-", "—", "--", "——", "－", "/", "…"})

# Money units and their factor to 万元, the warehouse's unit.
WAN_YUAN = "万元"
UNIT_FACTORS_TO_WAN = {"元": Decimal("0.0001"), "万元": Decimal(1), "亿元": Decimal(10000)}

_NUMBER = re.compile(r"^[+-]?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?$")


def normalise_text(text: str) -> str:
    """Full-width digits, letters and punctuation to their ASCII forms (NFKC)."""
    return unicodedata.normalize("NFKC", text)


MAX_WAN_YUAN = Decimal(10) ** 14


@dataclass(frozen=True)
class Amount:
    """A number as printed: its exact value and how many decimals it was printed with."""

    value: Decimal
    decimals: int

    def to_wan_yuan(self, unit: str) -> Amount:
        """The amount in 万元. Raises AmountOutOfRange for a figure no budget states (a
        garbled cell): the warehouse keeps 万元 as DECIMAL(20, 6), 14 digits before the point."""
        factor = UNIT_FACTORS_TO_WAN[unit]
        # Converting 元 to 万元 moves the printed precision four places.
        shift = {"元": 4, "万元": 0, "亿元": -4}[unit]
        converted = Amount(self.value * factor, max(self.decimals + shift, 0))
        if abs(converted.value) >= MAX_WAN_YUAN:
            raise AmountOutOfRange(f"{self.value} {unit} is beyond any budget (10^14 万元 or more)")
        return converted


class AmountOutOfRange(ValueError):
    """A number too large to be a budget figure, usually cells run together."""


def parse_amount(cell: str | None) -> Amount | None:
    """Read one printed number; `None` for a blank cell. Raises ValueError otherwise."""
    if cell is None:
        return None
    text = normalise_text(cell).strip().replace(" ", "")
    if text in BLANK_MARKERS:
        return None
    negative = text.startswith(("(", "（")) and text.endswith((")", "）"))
    if negative:
        text = text[1:-1]
    if not _NUMBER.match(text):
        raise ValueError(f"not a number: {cell!r}")
    try:
        value = Decimal(text.replace(",", ""))
    except InvalidOperation as exc:  # pragma: no cover - the regex already guards this
        raise ValueError(f"not a number: {cell!r}") from exc
    decimals = len(text.split(".", 1)[1]) if "." in text else 0
    return Amount(-value if negative else value, decimals)


def is_amount(cell: str | None) -> bool:
    try:
        return parse_amount(cell) is not None
    except ValueError:
        return False


_UNIT_LINE = re.compile(r"(?:单位|金额单位)\s*[:：]?\s*(亿元|万元|元)")


def find_unit_declaration(line: str) -> str | None:
    """The money unit a table declares (`单位：万元`, `金额单位: 元`), if this line has one."""
    match = _UNIT_LINE.search(normalise_text(line))
    return match.group(1) if match else None
