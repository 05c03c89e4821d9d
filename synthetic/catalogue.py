"""The units of a synthetic county: the departments a real county has, and its townships.

Each department spends under the function classes that fit it (education under 205,
health under 210, police under 204…): `classes` lists (款 code, share of the main
spending) and every 款 must exist in the shipped classification list.
"""

from __future__ import annotations

import itertools
from dataclasses import dataclass

COUNTY_CODE = "990001"  # 99 is no province's prefix: generated data can never pass for a real county
COUNTY_NAME = "样例县"


@dataclass(frozen=True)
class UnitProfile:
    code: str  # department code, e.g. 105
    name: str
    staff: int  # people paid from the basic budget
    sections: tuple[str, ...]  # 款 codes of its main spending, the first being its own 行政运行 line
    is_township: bool = False


_DEPARTMENTS: tuple[tuple[str, int, tuple[str, ...]], ...] = (
    ("人民政府办公室", 60, ("20103",)),
    ("发展和改革委员会", 45, ("20104",)),
    ("财政局", 80, ("20106",)),
    ("审计局", 30, ("20108",)),
    ("统计局", 25, ("20105",)),
    ("市场监督管理局", 120, ("20138",)),
    ("教育委员会", 420, ("20501", "20502")),
    ("科学技术局", 25, ("20601",)),
    ("文化和旅游发展委员会", 70, ("20701",)),
    ("公安局", 380, ("20402",)),
    ("司法局", 60, ("20406",)),
    ("人力资源和社会保障局", 90, ("20801",)),
    ("民政局", 55, ("20802",)),
    ("退役军人事务局", 25, ("20828",)),
    ("卫生健康委员会", 260, ("21001", "21004")),
    ("医疗保障局", 35, ("21015",)),
    ("生态环境局", 50, ("21101",)),
    ("住房和城乡建设委员会", 110, ("21201",)),
    ("城市管理局", 150, ("21201",)),
    ("农业农村委员会", 140, ("21301",)),
    ("林业局", 70, ("21302",)),
    ("水利局", 95, ("21303",)),
    ("交通运输委员会", 100, ("21401",)),
    ("经济和信息化委员会", 40, ("21505",)),
    ("商务委员会", 30, ("21602",)),
    ("规划和自然资源局", 90, ("22001",)),
    ("应急管理局", 60, ("22401",)),
    ("档案馆", 15, ("20126",)),
    ("机关事务管理局", 50, ("20103",)),
    ("信访办公室", 20, ("20103",)),
    ("供销合作社", 20, ("21301",)),
    ("残疾人联合会", 15, ("20811",)),
)

_TOWNSHIP_NAMES = (
    "桂溪",
    "新民",
    "普顺",
    "高安",
    "澄溪",
    "鹤游",
    "坪山",
    "沙坪",
    "周嘉",
    "白家",
    "太平",
    "永安",
    "黄沙",
    "杠家",
    "包家",
    "砚台",
    "曹回",
    "五洞",
    "长龙",
    "永平",
    "大石",
    "三溪",
    "裴兴",
    "坪滩",
    "明月",
    "龙溪",
    "石岭",
    "东山",
    "西湖",
    "南坝",
    "北岩",
    "青龙",
    "白马",
    "金竹",
    "双河",
    "清水",
    "桃花",
    "杨柳",
    "新华",
    "文昌",
    "建设",
    "团结",
    "和平",
    "兴隆",
    "柏林",
    "古镇",
    "云峰",
    "月湖",
    "凤凰",
    "松林",
)


def _township_names(count: int) -> list[str]:
    """Place names: the list first, then two-syllable combinations of it for larger counties,
    then three-syllable ones (a province-sized benchmark needs thousands of units)."""
    names = list(_TOWNSHIP_NAMES[:count])
    combined = itertools.chain(
        (a[0] + b[1] for a in _TOWNSHIP_NAMES for b in _TOWNSHIP_NAMES if a != b),
        (a + b[1] for a in _TOWNSHIP_NAMES for b in _TOWNSHIP_NAMES if a != b),
    )
    seen = set(names)
    for name in combined:
        if len(names) >= count:
            break
        if name not in seen:
            seen.add(name)
            names.append(name)
    return names


def county_units(departments: int = 32, townships: int = 50) -> list[UnitProfile]:
    """The county's units, departments first (codes 101…) then townships (codes 301…)."""
    units = [
        UnitProfile(str(101 + number), f"{COUNTY_NAME}{name}", staff, sections)
        for number, (name, staff, sections) in enumerate(_DEPARTMENTS[:departments])
    ]
    for number, place in enumerate(_township_names(townships)):
        kind = "街道办事处" if number % 7 == 3 else "镇人民政府"
        units.append(
            UnitProfile(
                str(301 + number),
                f"{COUNTY_NAME}{place}{kind}",
                40 + (number * 13) % 60,
                ("20103", "21307", "21203"),
                is_township=True,
            )
        )
    return units
