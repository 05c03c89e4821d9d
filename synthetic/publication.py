"""What a disclosure prints: every figure rounded to 0.01 万元 from the exact budget.

Each printed row is rounded from its own exact amount (as budgeting systems do), so a
total can differ from the sum of its printed parts by rounding. Changes against last year
are this year's printed figure minus last year's printed figure, so a narrative agrees
with the previous year's disclosure. Defects edit a Publication before it is rendered.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal

from .budget import INDICATOR_SETS, UnitBudget
from .subjects import (
    ANNUITY,
    CLASS_NAMES,
    ECONOMIC_CLASSES,
    ECONOMIC_LINES,
    HOUSING,
    MEDICAL,
    PENSION,
    RETIREES,
    SECTIONS,
)

CENT = Decimal("0.01")


def wan(yuan: int) -> Decimal:
    return (Decimal(yuan) / 10000).quantize(CENT, rounding=ROUND_HALF_UP)


_MIRRORED_SECTIONS = {line[2]: (line[0], line[1], line[3]) for line in (PENSION, ANNUITY, RETIREES, MEDICAL, HOUSING)}
_SECTION_NAMES = {code: name for code, (name, _) in SECTIONS.items()} | {
    v[0]: v[1] for v in _MIRRORED_SECTIONS.values()
}
_ITEM_NAMES = {code: name for _, items in SECTIONS.values() for code, name, _ in items} | {
    code: v[2] for code, v in _MIRRORED_SECTIONS.items()
}


@dataclass
class Row:
    code: str | None  # None for the 合计 line
    name: str
    exact: list[int | None]  # each amount column in exact 元, None printed blank

    @property
    def amounts(self) -> list[Decimal | None]:
        """The columns as a 万元 table prints them, each rounded to 0.01 万元 on its own."""
        return [None if value is None else wan(value) for value in self.exact]


@dataclass
class ProjectBlock:
    code: str
    name: str
    unit: str  # "103001-名称"
    department: str  # "103-名称"
    execution_weight: int
    total: Decimal
    fiscal: Decimal
    goal: str
    indicators: list[tuple[str, str, str, str, str, str, int | None]]  # l1, l2, name, op, value, unit, weight


@dataclass
class Publication:
    unit_name: str
    department_code: str
    year: int
    t1_income: list[tuple[str, Decimal | None]] = field(default_factory=list)
    t1_expenditure: list[tuple[str, Decimal | None, Decimal | None]] = field(
        default_factory=list
    )  # label, 合计, 一般公共预算
    t2: list[Row] = field(default_factory=list)  # 总计, 基本支出, 项目支出
    t3: list[Row] = field(default_factory=list)  # 总计, 人员经费, 日常公用经费
    t4: dict[int, dict[str, Decimal | None]] = field(default_factory=dict)
    t6_income: list[tuple[str, Decimal | None]] = field(default_factory=list)
    t6_expenditure: list[tuple[str, Decimal | None]] = field(default_factory=list)
    t7: list[Row] = field(default_factory=list)  # 合计, 一般公共预算
    t9: list[tuple[str, str, str, Decimal]] = field(default_factory=list)  # name, 类别, 数量, 金额
    t10_goal: str = ""
    t10_indicators: list[tuple[str, int, str, str, str]] = field(default_factory=list)  # name, weight, unit, op, value
    t11: list[ProjectBlock] = field(default_factory=list)
    narrative: dict[str, Decimal] = field(default_factory=dict)
    classes: list[tuple[str, str, Decimal]] = field(default_factory=list)  # code, name, amount
    vehicles: int = 0
    basic_share: Decimal = Decimal(0)
    yuan_tables: frozenset[str] = frozenset()  # tables printed in 元 (exact to the 元)
    mislabelled: frozenset[str] = frozenset()  # tables printed in 元 under a 万元 label (a defect)
    omitted: frozenset[str] = frozenset()  # tables left out (and not listed)
    unlisted_missing: frozenset[str] = frozenset()  # tables listed in the index but left out
    numbering: str = "chinese"  # chinese (表二), arabic (表 2), none


def _function_rows(budget: UnitBudget) -> list[Row]:
    basic = budget.basic_by_function
    project = budget.project_by_function()
    items = sorted(set(basic) | set(project))
    rows: list[Row] = []
    totals = (budget.total_yuan, budget.basic_yuan, budget.project_yuan)
    rows.append(Row(None, "合计", list(totals)))
    for class_code in sorted({code[:3] for code in items}):
        for level_code in sorted(
            {code[:3] for code in items if code.startswith(class_code)}
            | {code[:5] for code in items if code.startswith(class_code)}
            | {code for code in items if code.startswith(class_code)},
            key=lambda c: (c[:3], c[:5], len(c), c),
        ):
            b = sum(v for k, v in basic.items() if k.startswith(level_code))
            p = sum(v for k, v in project.items() if k.startswith(level_code))
            name = (
                CLASS_NAMES[level_code]
                if len(level_code) == 3
                else (_SECTION_NAMES[level_code] if len(level_code) == 5 else _ITEM_NAMES[level_code])
            )
            rows.append(Row(level_code, name, [b + p, b or None, p or None]))
    return rows


def _economic_rows(budget: UnitBudget) -> list[Row]:
    rows = [
        Row(
            None,
            "合计",
            [budget.basic_yuan, sum(budget.personnel.values()), sum(budget.public.values())],
        )
    ]
    lines = {code: ("personnel", amount) for code, amount in budget.personnel.items()} | {
        code: ("public", amount) for code, amount in budget.public.items()
    }
    for class_code, class_name in ECONOMIC_CLASSES.items():
        members = {code: value for code, value in lines.items() if code.startswith(class_code)}
        if not members:
            continue
        personnel = sum(v for kind, v in members.values() if kind == "personnel")
        public = sum(v for kind, v in members.values() if kind == "public")
        rows.append(
            Row(
                class_code,
                class_name,
                [personnel + public, personnel or None, public or None],
            )
        )
        for code in sorted(members):
            kind, value = members[code]
            rows.append(
                Row(
                    code,
                    ECONOMIC_LINES[code],
                    [value, value if kind == "personnel" else None, value if kind == "public" else None],
                )
            )
    return rows


def publish(budget: UnitBudget, prior: UnitBudget) -> Publication:
    unit = budget.unit
    pub = Publication(unit.name, unit.code, budget.year)
    total = wan(budget.total_yuan)
    class_totals: dict[str, int] = {}
    for code, amount in (budget.basic_by_function | {}).items():
        class_totals[code[:3]] = class_totals.get(code[:3], 0) + amount
    for code, amount in budget.project_by_function().items():
        class_totals[code[:3]] = class_totals.get(code[:3], 0) + amount
    pub.classes = [(code, CLASS_NAMES[code], wan(amount)) for code, amount in sorted(class_totals.items())]
    pub.t1_income = [
        ("一、本年收入", total),
        ("一般公共预算资金", total),
        ("政府性基金预算资金", None),
        ("国有资本经营预算资金", None),
        ("二、上年结转", None),
        ("收入总计", total),
    ]
    pub.t1_expenditure = (
        [("一、本年支出", total, total)]
        + [(name, amount, amount) for _, name, amount in pub.classes]
        + [("二、结转下年", None, None), ("支出合计", total, total)]
    )
    pub.t2 = _function_rows(budget)
    pub.t3 = _economic_rows(budget)
    pub.t4 = {
        year: {item: (wan(amount) if amount else None) for item, amount in source.three_public().items()}
        for year, source in ((prior.year, prior), (budget.year, budget))
    }
    for figures in pub.t4.values():
        items = [figures[k] or Decimal(0) for k in ("overseas", "vehicle_purchase", "vehicle_operation", "reception")]
        figures["vehicle_subtotal"] = (figures["vehicle_purchase"] or 0) + (figures["vehicle_operation"] or 0) or None
        figures["total"] = sum(items, Decimal(0))
    pub.t6_income = [
        ("一般公共预算拨款", total),
        ("事业收入", None),
        ("本年收入合计", total),
        ("上年结转", None),
        ("收入总计", total),
    ]
    pub.t6_expenditure = [(name, amount) for _, name, amount in pub.classes] + [
        ("本年支出合计", total),
        ("结转下年", None),
        ("支出总计", total),
    ]
    pub.t7 = [Row(row.code, row.name, [row.exact[0], row.exact[0]]) for row in pub.t2]
    pub.t9 = [
        (name, {"goods": "货物", "services": "服务", "works": "工程"}[category], str(qty), wan(amount))
        for name, category, qty, amount in budget.procurement
    ]
    pub.vehicles = budget.vehicles
    three = pub.t4[budget.year]
    prior_three = pub.t4[prior.year]
    pub.narrative = (
        {
            "total": total,
            "total_change": total - wan(prior.total_yuan),
            "basic": wan(budget.basic_yuan),
            "basic_change": wan(budget.basic_yuan) - wan(prior.basic_yuan),
            "project": wan(budget.project_yuan),
            "project_change": wan(budget.project_yuan) - wan(prior.project_yuan),
            "operating": wan(budget.operating_costs_yuan()),
            "operating_change": wan(budget.operating_costs_yuan()) - wan(prior.operating_costs_yuan()),
            "procurement": sum((row[3] for row in pub.t9), Decimal(0)),
        }
        | {
            f"three_{k}": three[k] or Decimal(0)
            for k in ("total", "overseas", "vehicle_purchase", "vehicle_operation", "reception")
        }
        | {
            f"three_{k}_change": (three[k] or Decimal(0)) - (prior_three[k] or Decimal(0))
            for k in ("total", "overseas", "vehicle_purchase", "vehicle_operation", "reception")
        }
    )
    pub.basic_share = (pub.narrative["basic"] * 100 / total).quantize(CENT, rounding=ROUND_HALF_UP)
    for category in ("goods", "works", "services"):
        label = {"goods": "货物", "services": "服务", "works": "工程"}[category]
        pub.narrative[f"procurement_{category}"] = sum((row[3] for row in pub.t9 if row[1] == label), Decimal(0))
    pub.t10_goal = f"保障{budget.year}年各项工作正常运转，完成年度重点任务。"
    pub.t10_indicators = [
        ("车辆数", 10, "辆", "-", str(budget.vehicles)),
        ("重点工作完成率", 30, "%", "≥", "95"),
        ("预算执行率", 20, "%", "≥", "90"),
        ("服务对象满意度", 20, "%", "≥", "90"),
        ("部门预算公开率", 20, "%", "=", "100"),
    ]
    for number, project in enumerate(budget.projects):
        indicators = [list(row) for row in INDICATOR_SETS[number % len(INDICATOR_SETS)]]
        amount = wan(project.amount_yuan)
        weights = sum(row[6] for row in indicators)
        cost = [
            "成本指标",
            "经济成本指标",
            "项目成本",
            "≤",
            f"{amount.to_integral_value(rounding='ROUND_CEILING')}",
            "万元",
            90 - weights,
        ]
        if number % 2:
            cost = ["成本指标", "经济成本指标", "项目资金", "=", str(project.amount_yuan), "元", 90 - weights]
        pub.t11.append(
            ProjectBlock(
                project.code,
                project.name,
                f"{project.unit_code}-{project.unit_name}",
                f"{unit.code}-{unit.name}",
                10,
                amount,
                amount,
                f"完成{budget.year}年{project.name}各项任务。",
                [tuple(row) for row in [*indicators, cost]],
            )
        )
    return pub
