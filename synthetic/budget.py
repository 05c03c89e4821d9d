"""One unit's budget for one year, in exact 元, before anything is rounded for publication.

Amounts behave like real ones: personnel costs follow staff numbers and the pay scale,
pension, annuity, medical insurance and housing fund are fixed shares of pay and appear
twice (economic line in T3, function line in T2: RULES X-3), public costs and 三公 follow
staff and vehicles, projects carry the rest. Everything is a whole number of 元; the
disclosure rounds to 0.01 万元 only when it prints, so rounding gaps occur as in the seed.
"""

from __future__ import annotations

import hashlib
import random
from dataclasses import dataclass, field

from .catalogue import COUNTY_CODE, UnitProfile
from .subjects import ANNUITY, HOUSING, MEDICAL, PENSION, RETIREES, SECTIONS


def rng_for(seed: int, *parts: object) -> random.Random:
    """A random stream fixed by the seed number and the parts (stable across Python runs)."""
    digest = hashlib.sha256("|".join(map(str, (seed, *parts))).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


@dataclass
class Project:
    code: str  # 21 characters, the county code first
    name: str
    unit_code: str
    unit_name: str
    function_code: str
    amount_yuan: int


@dataclass
class UnitBudget:
    unit: UnitProfile
    year: int
    personnel: dict[str, int] = field(default_factory=dict)  # economic 款 → 元
    public: dict[str, int] = field(default_factory=dict)
    basic_by_function: dict[str, int] = field(default_factory=dict)  # 项 code → 元
    projects: list[Project] = field(default_factory=list)
    overseas_project_yuan: int = 0
    reception_project_yuan: int = 0
    vehicle_purchase_yuan: int = 0
    vehicles: int = 0
    procurement: list[tuple[str, str, int, int]] = field(default_factory=list)  # name, category, qty, 元

    @property
    def basic_yuan(self) -> int:
        return sum(self.personnel.values()) + sum(self.public.values())

    @property
    def project_yuan(self) -> int:
        return sum(p.amount_yuan for p in self.projects)

    @property
    def total_yuan(self) -> int:
        return self.basic_yuan + self.project_yuan

    def project_by_function(self) -> dict[str, int]:
        amounts: dict[str, int] = {}
        for project in self.projects:
            amounts[project.function_code] = amounts.get(project.function_code, 0) + project.amount_yuan
        return amounts

    def three_public(self) -> dict[str, int]:
        return {
            "overseas": self.public.get("30212", 0) + self.overseas_project_yuan,
            "vehicle_purchase": self.vehicle_purchase_yuan,
            "vehicle_operation": self.public.get("30231", 0),
            "reception": self.public.get("30217", 0) + self.reception_project_yuan,
        }

    def operating_costs_yuan(self) -> int:
        """机关运行经费: the public costs of running the office."""
        return sum(self.public.values())


def _yuan(rng: random.Random, low: float, high: float) -> int:
    # Budgets are set to the 元, seldom to round 万元: the last digits carry rounding gaps.
    return int(rng.uniform(low, high))


PROJECT_WORDS = (
    "专项工作经费",
    "业务运行保障",
    "信息化建设",
    "宣传培训",
    "监督检查",
    "设施维护",
    "服务采购",
    "应急保障",
)
INDICATOR_SETS = (
    (
        ("产出指标", "数量指标", "完成任务数量", "≥", "10", "项", 20),
        ("产出指标", "质量指标", "任务完成合格率", "≥", "95", "%", 20),
        ("产出指标", "时效指标", "按时完成率", "≥", "90", "%", 10),
        ("效益指标", "社会效益指标", "服务保障水平", "定性", "显著提升", "", 20),
    ),
    (
        ("产出指标", "数量指标", "服务对象数量", "≥", "500", "人次", 25),
        ("产出指标", "时效指标", "年度任务按时完成率", "=", "100", "%", 15),
        ("效益指标", "社会效益指标", "工作正常运转率", "≥", "95", "%", 30),
    ),
)


def unit_budget(seed: int, unit: UnitProfile, year: int) -> UnitBudget:
    """The budget of `unit` for `year`: stable for the seed, growing a little year on year."""
    rng = rng_for(seed, unit.code, year)
    growth = (1.0 + rng_for(seed, unit.code).uniform(0.01, 0.05)) ** (year - 2023)
    staff = max(5, round(unit.staff * rng_for(seed, unit.code, "staff").uniform(0.85, 1.15)))
    budget = UnitBudget(unit, year)
    pay = {
        "30101": _yuan(rng, 30000, 36000) * staff,
        "30102": _yuan(rng, 15000, 21000) * staff,
        "30103": _yuan(rng, 3000, 8000) * staff,
        "30107": _yuan(rng, 20000, 28000) * staff,
    }
    pay = {code: int(amount * growth) for code, amount in pay.items()}
    wages = sum(pay.values())
    budget.personnel = pay | {
        "30108": wages * 16 // 100,
        "30109": wages * 8 // 100,
        "30110": wages * 8 // 100,
        "30112": wages // 100,
        "30113": wages * 12 // 100,
        "30199": _yuan(rng, 300, 2000) * staff,
        "30302": _yuan(rng, 1000, 5000) * staff,
    }
    budget.vehicles = min(8, staff // 30)
    public = {
        "30201": _yuan(rng, 1200, 2600) * staff,
        "30205": _yuan(rng, 80, 200) * staff,
        "30206": _yuan(rng, 300, 900) * staff,
        "30207": _yuan(rng, 200, 700) * staff,
        "30211": _yuan(rng, 800, 2000) * staff,
        "30213": _yuan(rng, 200, 1200) * staff,
        "30215": _yuan(rng, 100, 600) * staff,
        "30216": _yuan(rng, 100, 600) * staff,
        "30217": _yuan(rng, 5000, 60000),
        "30228": wages * 2 // 100,
        "30229": _yuan(rng, 500, 1500) * staff,
        "30231": budget.vehicles * _yuan(rng, 12000, 26000),
        "30239": _yuan(rng, 500, 2500) * staff,
        "30299": _yuan(rng, 300, 1500) * staff,
    }
    if rng.random() < 0.12:
        public["30212"] = _yuan(rng, 20000, 60000)
    budget.public = {code: amount for code, amount in public.items() if amount > 0}

    admin_line = (
        next(code for code, _, role in SECTIONS[unit.sections[0]][1] if role == "admin")
        if any(role == "admin" for _, _, role in SECTIONS[unit.sections[0]][1])
        else SECTIONS[unit.sections[0]][1][0][0]
    )
    mirrored = {
        PENSION[2]: budget.personnel["30108"],
        ANNUITY[2]: budget.personnel["30109"],
        MEDICAL[2]: budget.personnel["30110"],
        HOUSING[2]: budget.personnel["30113"],
        RETIREES[2]: budget.personnel["30302"],
    }
    budget.basic_by_function = mirrored | {admin_line: budget.basic_yuan - sum(mirrored.values())}

    project_lines = [code for section in unit.sections for code, _, role in SECTIONS[section][1] if role == "project"]
    scale = staff * growth
    for number in range(rng.randint(2, 6)):
        line = project_lines[number % len(project_lines)]
        executor = f"{unit.code}{1 + number % 3:03d}"
        budget.projects.append(
            Project(
                code=f"{COUNTY_CODE}{year % 100:02d}{rng.randint(10**12, 10**13 - 1):013d}",
                name=unit.name.replace("样例县", "") + PROJECT_WORDS[(number + int(unit.code)) % len(PROJECT_WORDS)],
                unit_code=executor,
                unit_name=unit.name + ("(本级)" if executor.endswith("001") else f"所属单位{executor[-1]}"),
                function_code=line,
                amount_yuan=_yuan(rng, 400, 4000) * round(scale) + _yuan(rng, 20000, 400000),
            )
        )
    if rng.random() < 0.3:
        budget.reception_project_yuan = _yuan(rng, 5000, 30000)
    if rng.random() < 0.08:
        # A car is bought from project money: the purchase sits inside the first project's amount.
        budget.vehicle_purchase_yuan = _yuan(rng, 150000, 250000)
        budget.projects[0].amount_yuan += budget.vehicle_purchase_yuan
    budget.procurement = [
        ("办公设备", "goods", rng.randint(5, 40), _yuan(rng, 30000, 300000)),
        ("物业管理服务", "services", 1, _yuan(rng, 50000, 500000)),
    ] + ([("办公用房维修工程", "works", 1, _yuan(rng, 100000, 800000))] if rng.random() < 0.3 else [])
    return budget
