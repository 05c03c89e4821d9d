"""Defects injected into a Publication, each the smallest edit that breaks its rule, and
near misses that stay within the rounding envelope and must not fail.

Every defect names the rule of docs/rules.md that must catch it; manifest.json records them.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import replace
from decimal import Decimal

from .publication import CENT, Publication, Row

D = Decimal


def _children(rows: list[Row], parent: Row) -> list[Row]:
    return [
        r
        for r in rows
        if r.code and parent.code and len(r.code) == len(parent.code) + 2 and r.code.startswith(parent.code)
    ]


def class_does_not_add_up(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """T2-b: a 类 stated just beyond the envelope of its 款 (0.005 × (n + 1) + 0.01)."""
    candidates = [r for r in pub.t2 if r.code and len(r.code) == 3 and r.amounts[1] is not None]
    row = rng.choice(candidates)
    n = len(_children(pub.t2, row))
    delta = (D("0.005") * (n + 1) + CENT).quantize(CENT, rounding="ROUND_CEILING")
    # Total and 基本支出 move together, so the row itself still adds up (T2-a holds).
    row.exact[0] += int(delta * 10000)
    row.exact[1] += int(delta * 10000)
    return "T2-b", f"T2 {row.code} {row.name}: 总计 and 基本支出 +{delta} against its {n} 款"


def narrative_disagrees_with_table(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """N-1: the narrative's 基本支出 two cents off T2's 合计 (envelope 0.01)."""
    delta = D("0.02") if (pub.narrative["basic"] + D("0.02")) % D("0.1") else D("0.03")
    pub.narrative["basic"] += delta
    return "N-1", f"narrative 基本支出 {pub.narrative['basic']} against T2 合计 {pub.narrative['basic'] - delta}"


def table_in_yuan_labelled_wan(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """X-2: T3 printed in 元 under a 单位：万元 label: its 合计 is 10,000 times T2's 基本支出."""
    pub.yuan_tables = pub.yuan_tables - {"T3"}
    pub.mislabelled = pub.mislabelled | {"T3"}
    return "X-2", "T3 amounts in 元, labelled 万元"


def shifted_cell(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """T2-b: a 项's 项目支出 printed one column to the left, under 基本支出."""
    candidates = [r for r in pub.t2 if r.code and len(r.code) == 7 and r.exact[1] is None and r.exact[2]]
    row = rng.choice(candidates)
    row.exact[1], row.exact[2] = row.exact[2], None
    return "T2-b", f"T2 {row.code} {row.name}: 项目支出 shifted under 基本支出"


def missing_table(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """C-1: 政府采购明细表 listed in the 附表 index but left out."""
    pub.unlisted_missing = pub.unlisted_missing | {"T9"}
    return "C-1", "T9 政府采购明细表 listed but not published"


def prior_year_contradiction(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """N-2: the stated change of the total 0.05 away from this year − last year (envelope 0.03)."""
    pub.narrative["total_change"] += D("0.05")
    return "N-2", f"stated change of the total {pub.narrative['total_change']} (0.05 off last year's disclosure)"


def wrong_percentage(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """N-4: 基本支出's share printed 0.03 points off (envelope 0.015)."""
    pub.basic_share += D("0.03")
    return "N-4", f"基本支出 share printed {pub.basic_share}%"


def prior_year_misstated(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """N-2 across years: the document restates last year's 公务接待费 0.05 above what last year's
    own disclosure printed, and consistently so (T4's prior-year 合计 and the narrative's changes
    move with it): nothing inside the document disagrees, only last year's document does
    (envelope 0.02). Injected only where the county has last year's disclosure."""
    prior = min(pub.t4)
    figures = pub.t4[prior]
    delta = D("0.05")
    figures["reception"] = (figures["reception"] or D(0)) + delta
    figures["total"] += delta
    pub.narrative["three_reception_change"] -= delta
    pub.narrative["three_total_change"] -= delta
    return "N-2", f"T4 {prior} 公务接待费 restated as {figures['reception']}, 0.05 above the {prior} disclosure"


# Defects only a disclosure of the year before can reveal.
NEEDS_PRIOR_YEAR_DISCLOSURE = frozenset({"prior_year_misstated"})

DEFECTS: tuple[Callable[[Publication, random.Random], tuple[str, str]], ...] = (
    class_does_not_add_up,
    narrative_disagrees_with_table,
    table_in_yuan_labelled_wan,
    shifted_cell,
    missing_table,
    prior_year_contradiction,
    wrong_percentage,
    prior_year_misstated,
)


def near_miss(pub: Publication, rng: random.Random) -> tuple[str, str]:
    """N-1 within the envelope: 基本支出 printed to one decimal (5709.4 for 5709.36), as writers round."""
    exact = pub.narrative["basic"]
    pub.narrative["basic"] = exact.quantize(D("0.1"), rounding="ROUND_HALF_UP")
    return "N-1", f"narrative 基本支出 {pub.narrative['basic']} for T2's {exact}"


def vary(pub: Publication, rng: random.Random) -> Publication:
    """Variation as real documents vary: units, numbering, tables a template leaves out."""
    numbering = rng.choice(("chinese", "chinese", "arabic", "none"))
    yuan = frozenset({"T2", "T3"}) if rng.random() < 0.15 else frozenset()
    omitted = frozenset()
    if rng.random() < 0.2:
        omitted = frozenset({"T6", "T7", "T8"})
    elif rng.random() < 0.1:
        omitted = frozenset({"T9"})
    return replace(pub, numbering=numbering, yuan_tables=yuan, omitted=omitted)
