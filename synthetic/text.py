"""A Publication as text in the seed's layout: narrative, 附表 index, tab-separated tables."""

from __future__ import annotations

from decimal import Decimal

from .publication import Publication, Row

T = "\t"
TABLES = (
    ("T1", "财政拨款收支总表"),
    ("T2", "一般公共预算财政拨款支出预算表"),
    ("T3", "一般公共预算财政拨款基本支出预算表"),
    ("T4", "一般公共预算“三公”经费支出表"),
    ("T5", "政府性基金预算支出表"),
    ("T6", "部门收支总表"),
    ("T7", "部门收入总表"),
    ("T8", "部门支出总表"),
    ("T9", "政府采购明细表"),
    ("T10", "部门整体绩效目标表"),
    ("T11", "项目绩效目标表"),
)
_CN = "零一二三四五六七八九"


def _cn_number(number: int) -> str:
    if number < 10:
        return _CN[number]
    return "十" + (_CN[number % 10] if number % 10 else "")


def money(value: Decimal | None, unit: str = "万元") -> str:
    """A table cell: thousands separators, two decimals; blank when nothing is stated."""
    if value is None:
        return ""
    return f"{value * 10000 if unit == '元' else value:,.2f}"


def plain(value: Decimal) -> str:
    """A narrative figure: no separators, trailing zeros dropped as writers do (59.3, 30)."""
    text = f"{value:f}"
    return text.rstrip("0").rstrip(".") if "." in text else text


def _change(value: Decimal, year: int) -> str:
    if value == 0:
        return f"与{year - 1}年持平"
    return f"比{year - 1}年{'增加' if value > 0 else '减少'}{plain(abs(value))}万元"


def _moved(value: Decimal) -> str:
    """增加 or 减少 and the amount, as the income paragraph states each change."""
    return f"{'增加' if value >= 0 else '减少'}{plain(abs(value))}万元"


def _narrative(pub: Publication) -> list[str]:
    n, y = pub.narrative, pub.year
    classes = ",".join(f"{name}{plain(amount)}万元" for _, name, amount in pub.classes)
    three = f"{y}年“三公”经费预算{plain(n['three_total'])}万元,{_change(n['three_total_change'], y)}。"
    items = ";".join(
        f"{label}{plain(n[f'three_{key}'])}万元,{_change(n[f'three_{key}_change'], y)}"
        for label, key in (
            ("因公出国(境)费用", "overseas"),
            ("公务接待费", "reception"),
            ("公务用车运行维护费", "vehicle_operation"),
            ("公务用车购置费", "vehicle_purchase"),
        )
    )
    return [
        f"# {pub.unit_name} {y} 年部门预算情况说明",
        "",
        f"一、单位基本情况。{pub.unit_name}{y}年部门预算包括{pub.unit_name}(本级)及所属单位。",
        "",
        "## 二、部门收支总体情况",
        "",
        f"(一)收入预算:{y}年年初预算数{plain(n['total'])}万元,其中:一般公共预算拨款{plain(n['total'])}万元,"
        f"政府性基金预算拨款0万元;收入较去年{_moved(n['total_change'])},"
        f"基本支出{_moved(n['basic_change'])},主要原因是人员和政策性调整;"
        f"项目支出{_moved(n['project_change'])},主要原因是年度重点工作调整。",
        "",
        f"(二)支出预算:{y}年年初预算数{plain(n['total'])}万元,其中:{classes}。",
        "",
        "### 三、部门预算情况说明",
        "",
        f"{y}年一般公共预算财政拨款支出{plain(n['total'])}万元,{_change(n['total_change'], y)}。"
        f"其中:基本支出{plain(n['basic'])}万元,占{pub.basic_share:.2f}%,{_change(n['basic_change'], y)},"
        f"主要用于保障人员工资福利和机构正常运转;项目支出{plain(n['project'])}万元,{_change(n['project_change'], y)},"
        "主要用于年度重点工作。",
        "",
        f"本单位 {y} 年无使用政府性基金预算拨款安排的支出。",
        "",
        "#### 四、“三公”经费情况说明",
        "",
        three + f"其中:{items}。",
        "",
        "#### 五、其他重要事项的情况说明",
        "",
        f"(一)机关运行经费。{y}年一般公共预算财政拨款运行经费{plain(n['operating'])}万元,"
        f"比上年{'增加' if n['operating_change'] >= 0 else '减少'}{plain(abs(n['operating_change']))}万元。",
        "",
        f"(二)政府采购情况。政府采购预算总额{plain(n['procurement'])}万元:政府采购货物预算{plain(n['procurement_goods'])}万元、"
        f"政府采购工程预算{plain(n['procurement_works'])}万元、政府采购服务预算{plain(n['procurement_services'])}万元。",
        "",
        f"(三)绩效目标设置情况。{y}年项目支出均实行了绩效目标管理,涉及一般公共预算当年财政拨款{plain(n['project'])}万元。",
        "",
        f"(四)国有资产占有使用情况。截至{y - 1}年12月,共有车辆{pub.vehicles}辆,其中一般公务用车{pub.vehicles}辆。",
        "",
        "## 六、专业性名词解释",
        "",
        "(一)基本支出:指为保障机构正常运转、完成日常工作任务而发生的人员经费和公用经费。",
        "",
    ]


def _printed_number(pub: Publication, number: int) -> list[str]:
    if pub.numbering == "none":
        return []
    return [f"表{_cn_number(number)}" if pub.numbering == "chinese" else f"表 {number}", ""]


def _code_table(pub: Publication, table_id: str, title: str, rows: list[Row], header: list[str]) -> list[str]:
    in_yuan = table_id in pub.yuan_tables or table_id in pub.mislabelled
    unit = "元" if table_id in pub.yuan_tables else "万元"
    lines = [title, f"单位：{unit}", T.join(header)]
    for row in rows:
        # A table in 元 prints the exact amounts; one in 万元 each amount rounded on its own.
        values = [("" if v is None else f"{v:,.2f}") for v in row.exact] if in_yuan else [money(v) for v in row.amounts]
        lines.append(T.join([row.code or "合计", row.name if row.code else "", *values]))
    return lines


def _tables(pub: Publication) -> dict[str, list[str]]:
    name = pub.unit_name
    t4 = pub.t4
    years = sorted(t4)
    t4_row = []
    for year in years:
        f = t4[year]
        t4_row += [
            money(f["total"]),
            money(f["overseas"]),
            money(f["vehicle_subtotal"]),
            money(f["vehicle_purchase"]),
            money(f["vehicle_operation"]),
            money(f["reception"]),
        ]
    block = ["合计", "因公出国(境)费", "公务用车购置及运行费", "", "", "公务接待费"]
    sub = ["", "", "小计", "公务用车购置费", "公务用车运行费", ""]
    tables = {
        "T1": [
            f"{name}财政拨款收支总表",
            "单位：万元",
            T.join(["收入", "", "支出", "", "", ""]),
            T.join(["项目", "预算数", "项目", "合计", "一般公共预算", "政府性基金预算", "国有资本经营预算"]),
        ]
        + [
            T.join(
                [
                    income[0] if income else "",
                    money(income[1]) if income else "",
                    exp[0] if exp else "",
                    money(exp[1]) if exp else "",
                    money(exp[2]) if exp else "",
                    "",
                    "",
                ]
            )
            for income, exp in _zip_t1(pub)
        ],
        "T2": _code_table(
            pub,
            "T2",
            f"{name}一般公共预算财政拨款支出预算表",
            pub.t2,
            ["科目编码", "科目名称", "总计", "基本支出", "项目支出"],
        ),
        "T3": _code_table(
            pub,
            "T3",
            f"{name}一般公共预算财政拨款基本支出预算表",
            pub.t3,
            ["科目编码", "科目名称", "总计", "人员经费", "日常公用经费"],
        ),
        "T4": [
            f"{name}一般公共预算“三公”经费支出表",
            "单位: 万元",
            T.join([f"{years[0]}年预算数", "", "", "", "", "", f"{years[1]}年预算数", "", "", "", "", ""]),
            T.join(block + block),
            T.join(sub + sub),
            T.join(t4_row),
        ],
        "T5": [
            f"{name}政府性基金预算支出表",
            "单位: 万元",
            T.join(["科目编码", "科目名称", "本年政府性基金预算财政拨款支出", "", ""]),
            T.join(["", "", "总计", "基本支出", "项目支出"]),
            "",
            "(备注: 本部门无政府性基金收支, 故此表无数据。)",
        ],
        "T6": [
            f"{name}部门收支总表",
            "单位：万元",
            T.join(["收入", "", "支出", ""]),
            T.join(["项目", "预算数", "项目", "预算数"]),
        ]
        + [
            T.join([i[0] if i else "", money(i[1]) if i else "", e[0] if e else "", money(e[1]) if e else ""])
            for i, e in _zip_pairs(
                pub.t6_income[:2], pub.t6_expenditure[:-3], pub.t6_income[2:], pub.t6_expenditure[-3:]
            )
        ],
        "T7": _code_table(pub, "T7", f"{name}部门收入总表", pub.t7, ["科目编码", "科目名称", "合计", "一般公共预算"]),
        "T8": _code_table(
            pub, "T8", f"{name}部门支出总表", pub.t2, ["科目编码", "科目名称", "总计", "基本支出", "项目支出"]
        ),
        "T9": [f"{name}政府采购明细表", "单位：万元", T.join(["采购项目", "采购类别", "数量", "金额"])]
        + [T.join([item, category, qty, money(amount)]) for item, category, qty, amount in pub.t9]
        + [T.join(["合计", "", "", money(sum((row[3] for row in pub.t9), Decimal(0)))])],
        "T10": [
            f"{name}部门整体绩效目标表",
            "单位：万元",
            T.join(["<b>部门(单位)名称</b>", name, "<b>部门支出预算数</b>", money(pub.narrative["total"]), "", ""]),
            T.join(["<b>当年整体绩效目标</b>", f"<p>{pub.t10_goal}</p>", "", "", "", ""]),
            T.join(
                [
                    "<b>绩效指标</b>",
                    "<b>指标</b>",
                    "<b>指标权重</b>",
                    "<b>计量单位</b>",
                    "<b>指标性质</b>",
                    "<b>指标值</b>",
                ]
            ),
        ]
        + [T.join(["", ind, str(weight), unit, op, value]) for ind, weight, unit, op, value in pub.t10_indicators],
        "T11": [],
    }
    for project in pub.t11:
        tables["T11"] += [
            f"{name}{pub.year}年项目绩效目标表",
            "",
            T.join(["填报单位:", project.unit, "", "", "", "", ""]),
            T.join(["项目名称", f"{project.code}-{project.name}", "", "", "项目负责人及联系电话", "王老师", ""]),
            T.join(["主管部门", project.department, "", "", "实施单位", project.unit, ""]),
            T.join(["预算执行率权重(%):", "", "", "", str(project.execution_weight), "", ""]),
            T.join(["资金情况 (万元)", "年度资金总额:", "", "", money(project.total), "", ""]),
            T.join(["", "其中:财政拨款", "", "", money(project.fiscal), "", ""]),
            T.join(["", "其他资金", "", "", "", "", ""]),
            T.join(["总体目标", project.goal, "", "", "", "", ""]),
            T.join(["绩效指标", "一级指标", "二级指标", "三级指标", "指标性质", "指标值", "度量单位", "权重(%)"]),
        ]
        for l1, l2, ind, op, value, unit, weight in project.indicators:
            tables["T11"].append(T.join(["", l1, l2, ind, op, value, unit, "" if weight is None else str(weight)]))
        tables["T11"].append("")
    return tables


def _zip_t1(pub: Publication):
    # 本年收入/支出 first, class rows beside the sources, then carry-overs and the totals on one line.
    income, expenditure = pub.t1_income, pub.t1_expenditure
    return _zip_pairs(income[:4], expenditure[:-2], income[4:], expenditure[-2:])


def _zip_pairs(income_head, exp_head, income_tail, exp_tail):
    """Rows of an income | expenditure table: the heads side by side (the shorter padded with
    blanks), then the tails line by line (carry-over and totals face each other)."""
    rows = []
    for index in range(max(len(income_head), len(exp_head))):
        rows.append(
            (
                income_head[index] if index < len(income_head) else None,
                exp_head[index] if index < len(exp_head) else None,
            )
        )
    return rows + list(zip(income_tail, exp_tail, strict=True))


def render(pub: Publication) -> str:
    lines = _narrative(pub)
    listed = [(table_id, title) for table_id, title in TABLES if table_id not in pub.omitted]
    lines.append(
        "附表:" + "\n\n".join(f"{number}. {pub.unit_name}{title}" for number, (_, title) in enumerate(listed, 1))
    )
    lines.append("")
    tables = _tables(pub)
    for number, (table_id, _) in enumerate(listed, 1):
        if table_id in pub.unlisted_missing:
            continue
        lines += _printed_number(pub, number) + tables[table_id] + [""]
    return "\n".join(lines) + "\n"
