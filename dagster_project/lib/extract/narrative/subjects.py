"""What the words before an amount in the narrative name: the figure key per paragraph topic
(收入预算, 支出预算, 三公, …), a function class named by its name, or a function subject named
by its code or by its 类, 款 and 项 names (Shanghai's item-by-item explanation)."""

from __future__ import annotations

import re

from ..classification import class_names_in

# (pattern on the clause label, figure key) per topic, most specific first.
_SUBJECTS: dict[str, tuple[tuple[re.Pattern[str], str], ...]] = {
    "income": (
        (re.compile(r"本年收入"), "income_current_year"),
        # this year's 财政拨款 without the carry-over: no table line states it alone
        (re.compile(r"(?:本年|当年)[^,，;；。]*财政拨款收入"), ""),
        (re.compile(r"财政拨款收入"), "fiscal_income"),
        # sources no table line holds on its own, or groups of them (其他资金 = 事业收入 + 其他收入)
        (re.compile(r"上级补助|附属单位|其他资金|单位资金|非财政拨款"), ""),
        (re.compile(r"财政专户"), "income_special_account"),
        (re.compile(r"基本支出"), "basic_expenditure"),
        (re.compile(r"项目支出"), "project_expenditure"),
        (re.compile(r"一般公共预算"), "income_general_public_budget"),
        (re.compile(r"政府性基金"), "income_gov_fund"),
        (re.compile(r"国有资本"), "income_state_capital"),
        (re.compile(r"经营(?:服务)?收入"), "income_operating"),
        (re.compile(r"事业收入"), "income_business"),
        (re.compile(r"其他收入"), "income_other"),
        (re.compile(r"上年结转|结转结余"), "income_carryover"),
        (re.compile(r"收入|预算数|年初预算|预算总额"), "total_income"),
    ),
    # 支出预算 covers every fund: its 基本支出 and 项目支出 are T8's (all funds), not T2's.
    "expenditure": (
        # ... unless the clause names the fund: "一般公共预算财政拨款基本支出预算" is T2's (T7's)
        (re.compile(r"(?:财政拨款|一般公共预算)[^,，;；。]*基本支出"), "basic_expenditure"),
        (re.compile(r"(?:财政拨款|一般公共预算)[^,，;；。]*项目支出"), "project_expenditure"),
        (re.compile(r"基本支出"), "all_funds_basic_expenditure"),
        (re.compile(r"项目支出"), "all_funds_project_expenditure"),
        (re.compile(r"事业单位经营支出|上缴上级支出|对附属单位补助支出|预留|机动经费"), ""),  # other kinds
        (re.compile(r"机关运行经费"), "operating_costs"),
        (re.compile(r"政府性基金"), "gov_fund_expenditure"),
        (re.compile(r"财政拨款(?:预算)?支出"), "fiscal_expenditure"),
        (re.compile(r"国有资本经营"), ""),  # no table figure to hold it against
        (re.compile(r"结转下年|年末结转|结转结余"), ""),  # carried forward: not the year's spending
        # 基本支出's parts by use (RULES X-8 holds them against T3)
        (re.compile(r"人员支出|人员经费"), "personnel_expenditure"),
        (re.compile(r"公用支出|公用经费"), "public_expenditure"),
        (re.compile(r"支出|预算数|年初预算|预算总额"), "total_expenditure"),
    ),
    "budget": (
        (re.compile(r"人员支出|人员经费"), "personnel_expenditure"),
        (re.compile(r"公用支出|公用经费"), "public_expenditure"),
        (re.compile(r"基本支出"), "basic_expenditure"),
        (re.compile(r"项目支出|专项业务经费"), "project_expenditure"),  # Shaanxi: 专项业务经费
        (re.compile(r"拨款收入|财政拨款收入|一般公共预算拨款$"), "general_public_budget_income"),
        (re.compile(r"拨款支出|财政拨款支出"), "general_public_budget_expenditure"),
        # "2022 年一般公共预算较上年增加 406.39 万元": the spending this section is about
        (re.compile(r"一般公共(?:预算|财政)$"), "general_public_budget_expenditure"),
    ),
    "three_public": (
        (re.compile(r"出国"), "three_public_overseas"),
        (re.compile(r"接待"), "three_public_reception"),
        (re.compile(r"购置及运行"), "three_public_vehicle_subtotal"),
        (re.compile(r"运行"), "three_public_vehicle_operation"),
        (re.compile(r"购置"), "three_public_vehicle_purchase"),
        (re.compile(r"三公"), "three_public_total"),
    ),
    "operating": ((re.compile(r"运行经费"), "operating_costs"),),
    "procurement": (
        (re.compile(r"货物"), "procurement_goods"),
        (re.compile(r"工程"), "procurement_works"),
        (re.compile(r"服务"), "procurement_services"),
        (re.compile(r"采购"), "procurement_total"),
    ),
    "performance": ((re.compile(r"财政拨款|项目支出|资金"), "performance_managed_funds"),),
    "assets": (
        (re.compile(r"一般公务用车"), "vehicles_general"),
        (re.compile(r"执勤执法用车|执法执勤用车"), "vehicles_enforcement"),
        (re.compile(r"特种专业技术用车"), "vehicles_special"),
        (re.compile(r"车辆"), "vehicles_total"),
    ),
    "gov_fund": ((re.compile(r"政府性基金"), "gov_fund_expenditure"),),
}


# A 款 or 项 named before an amount ("法院(款)行政运行(项)支出", "“一般公共服务支出-…-行政运行”
# 科目"): a figure of that subject, not of its class nor a headline one.
_SUB_CLASS_SUBJECT = re.compile(r"[(（][款项][)）]|科目|[^\d\s]-[^\d\s]")


# A function subject named with its code ("行政运行(2040601)：2026年预算安排…", Shanghai's item
# by item explanation), or by its 类, 款 and 项 names ("“一般公共服务支出（类）商贸事务（款）行政
# 运行（项）”938.99万元"): a figure of that subject, held against its T2 line.
_CODED_SUBJECT = re.compile(r"[(（]\s*((?:2\d{2})(?:\d{2}){0,2})\s*[)）]")
_NAMED_SUBJECT = re.compile(
    r"(?P<cls>[^“”\"（(：:，,。]+?)[（(]类[)）]\s*(?P<kuan>[^（(]+?)[（(]款[)）]\s*(?:(?P<xiang>[^（(]+?)[（(]项[)）])?"
)
NAMED_SUBJECT_PREFIX = "名称:"


def subject(topic: str, label: str) -> tuple[str, str | None] | None:
    coded = _CODED_SUBJECT.search(label)
    if coded and topic not in ("three_public", "procurement", "assets", "operating"):
        return "function_subject", coded.group(1)
    named = _NAMED_SUBJECT.search(label)
    if named and topic not in ("three_public", "procurement", "assets", "operating"):
        # resolved to a code against the document's own T2 lines (document.resolve_named_subjects)
        parts = [named.group("cls"), named.group("kuan"), named.group("xiang") or ""]
        return "function_subject", NAMED_SUBJECT_PREFIX + "|".join(part.strip() for part in parts)
    if _SUB_CLASS_SUBJECT.search(label):
        return None
    # A function class named before an amount is that class's figure in any section.
    classes = class_names_in(label)
    if classes and topic not in ("three_public", "procurement", "assets", "operating"):
        return "function_class", classes[0][1]
    for pattern, key in _SUBJECTS.get(topic, ()):
        if pattern.search(label):
            return (key, None) if key else None
    return None
