"""Figures the narrative (情况说明) states, with the line each one is on.

The narrative is prose, so figures are read clause by clause: the words just before an
amount name what it is (`基本支出2351.73万元`), a clause with 增加/减少/持平 states a change
against a prior year (`比2024年减少56.1万元`), and a change without a named subject belongs
to the figure before it. After `主要原因`/`一是…二是…`, amounts explain the change before
them: a change there is a part of it (RULES N-2: −56 = −6 − 50), a level is not a figure.
Which figure a name denotes depends on the paragraph's topic (收入预算, 支出预算, 三公…).
"""

from __future__ import annotations

import re
from decimal import Decimal

from ..amounts import WAN_YUAN, Amount, AmountOutOfRange, parse_amount
from ..lines import Line
from ..records import NarrativeFigure, NarrativeParagraph
from .paragraphs import Paragraph, paragraphs
from .paragraphs import topic_of as sentence_topic_of
from .subjects import subject as label_subject

_MENTION = re.compile(
    r"(?P<money>[+-]?\d[\d,]*(?:\.\d+)?)\s*(?P<unit>亿元|万元|元)(?![/每])"
    r"|(?P<count>\d+)\s*辆"
    r"|(?P<pct>[+-]?\d+(?:\.\d+)?)\s*%"
    r"|(?P<bare>\d[\d,]*\.\d+)(?=\s*[,，;；、])"
    r"|(?P<flat>持平)"
)
_DELIMITERS = re.compile(r"[,，;；。:：、]")
_CLAUSE_DELIMITERS = re.compile(r"[,，;；。:：]")  # an enumeration with 、 stays one clause
_CHANGE_UP = re.compile(r"增加|增长|上升|提高")
_CHANGE_DOWN = re.compile(r"减少|下降|降低|节约|压减")
_COMPARE_YEAR = re.compile(r"(?:比|较|与|同)\s*((?:19|20)\d{2})\s*年")
_COMPARE_IMPLICIT = re.compile(r"(?:比|较|与|同)\s*(?:去年|上年|上一年)")
_REASON = re.compile(r"原因|主要用于|主要是|一是|二是|三是")
_AS_OF_YEAR = re.compile(r"截[至止]\s*((?:19|20)\d{2})\s*年")
_PLAN_YEAR = re.compile(r"((?:19|20)\d{2})\s*年[^,，;；。]*?(?:预算|安排)")
_NO_GOV_FUND = re.compile(r"无(?:使用)?政府性基金[^。]*?支出")
# "项目支出均实行了绩效目标管理，涉及…705.02万元" covers every project: it is 项目支出. Where
# only the projects that set targets are counted ("编报绩效目标的项目5个，涉及项目预算资金…",
# Shanghai), the funds are a part of 项目支出, a figure of its own with nothing to tie to.
_ALL_PROJECTS_MANAGED = re.compile(r"均|全部|所有")


def _wan_yuan(parsed: Amount, unit: str) -> Amount | None:
    """The figure in 万元; none for digits run together into no budget figure."""
    try:
        return parsed.to_wan_yuan(unit)
    except AmountOutOfRange:
        return None


def _change_sign(label: str) -> int | None:
    if _CHANGE_DOWN.search(label):
        return -1
    if _CHANGE_UP.search(label):
        return 1
    return None


_KINDS = {"basic_expenditure", "project_expenditure", "all_funds_basic_expenditure", "all_funds_project_expenditure"}


def _subject_words(label: str) -> str:
    """The words naming what changed: the label before 比/较/增加/减少."""
    return re.split(r"比|较|与|同|增加|增长|减少|下降|降低|上升|提高|节约|压减|持平", label)[0]


# "万元" with no number before it: the PDF's text layer holds the digits apart from the words
# ("其中自然资源海洋气象等支出万元社会…:2026 14,770.62 , : 13,873.36"), so no figure's label
# can be trusted there.
_ORPHAN_UNIT = re.compile(r"(?<![\d.\s:：(（/单位])\s*万\s*元")  # not "单位：万元", "（万元）"
# Two such marks in a paragraph tell a text layer out of order; one may be a typo.
_MISPLACED_TO_TELL = 2


# Brackets and quotes with nothing inside ("因公出国 境 费用0万元 比2025“ ” , 。 : ( ) ,年减少5万元"):
# the text layer stores the punctuation apart from the words it encloses.
_EMPTY_PAIR = re.compile(r"“\s*”|\(\s*\)|（\s*）")


def out_of_order(text: str) -> bool:
    """A paragraph whose words and numbers the text layer stores in different orders."""
    return len(_ORPHAN_UNIT.findall(re.sub(r"(?<=\d)\s+", "", text))) >= _MISPLACED_TO_TELL


def punctuation_displaced(text: str) -> bool:
    """A paragraph whose punctuation the text layer stores apart from its words: each amount
    still stands by its label, but where a clause or an explanation ends is lost."""
    return len(_EMPTY_PAIR.findall(text)) >= _MISPLACED_TO_TELL


def read_narrative(
    source_file: str, lines: list[Line], budget_year: int | None
) -> tuple[list[NarrativeParagraph], list[NarrativeFigure], list[NarrativeParagraph]]:
    """The narrative's paragraphs, every figure they state, and the paragraphs not read
    because their text is out of order (reported: their figures would be misattributed)."""
    texts: list[NarrativeParagraph] = []
    figures: list[NarrativeFigure] = []
    unread: list[NarrativeParagraph] = []
    for paragraph in paragraphs(lines):
        first, last = paragraph.offsets[0][1], paragraph.offsets[-1][1]
        text = NarrativeParagraph(source_file, first, last, paragraph.topic, paragraph.text)
        texts.append(text)
        if paragraph.topic in (None, "glossary"):
            continue
        if out_of_order(paragraph.text):
            unread.append(text)
            continue
        read = _paragraph_figures(source_file, paragraph, budget_year)
        if punctuation_displaced(paragraph.text):
            # The parts of a change are told apart by clauses; the levels and changes stand.
            read = [figure for figure in read if figure.figure_kind != "change_part"]
        figures.extend(read)
    return texts, figures, unread


def _paragraph_figures(source_file: str, paragraph: Paragraph, budget_year: int | None) -> list[NarrativeFigure]:
    topic = paragraph.topic
    assert topic is not None
    text = paragraph.text
    figures: list[NarrativeFigure] = []
    current: tuple[str, str | None] | None = None
    in_reason = False
    scope = ""
    previous_end = 0
    last_unit = WAN_YUAN
    year_context = budget_year
    lead = label_subject(topic, _CLAUSE_DELIMITERS.split(_LEADING_NUMBER.sub("", text), maxsplit=1)[0])
    if topic == "gov_fund" or _NO_GOV_FUND.search(text):
        match = _NO_GOV_FUND.search(text)
        if match:
            figures.append(
                _figure(
                    source_file,
                    "gov_fund_expenditure",
                    "level",
                    None,
                    budget_year,
                    None,
                    False,
                    Amount(Decimal(0), 2),
                    WAN_YUAN,
                    "",
                    paragraph,
                    match.start(),
                    match.group(0),
                )
            )
    enclosing: list[tuple[str, str | None] | None] = []
    for mention in _MENTION.finditer(text):
        prefix = text[previous_end : mention.start()]
        previous_end = mention.end()
        # A run-on page ("本部门收入预算…。支出预算…。三公经费…。"): a sentence that opens
        # on a topic of its own speaks of that topic.
        if "。" in prefix and topic != "three_public":  # a 三公 paragraph's sentences all speak of 三公
            sentence = (prefix.rsplit("。", 1)[1] + text[mention.start() : mention.end()])[:12]
            sentence_topic = sentence_topic_of(sentence)
            if sentence_topic not in (None, "glossary", topic):
                topic, current, in_reason = sentence_topic, None, False
        # "公务用车购置及运行维护费6.7万元（购置费0万元…；运行维护费6.7万元…）比上年减少2.3万元":
        # after a closing bracket, the figure named before the bracket is spoken of again.
        for char in prefix:
            if char in "(（":
                enclosing.append(current)
            elif char in ")）" and enclosing:
                current = enclosing.pop()
        label = _DELIMITERS.split(prefix)[-1].strip()
        if _REASON.search(prefix):
            in_reason = True
        if topic == "procurement" and "一般公共预算" in prefix:
            scope = "general_public_budget_"
        if topic == "income" and "上年结转" in prefix:
            scope = "_carryover"  # the sources listed after 上年结转 are the carry-over's
        is_flat = mention.group("flat") is not None
        if is_flat and in_reason:
            # "主要原因是：…数量与上年相比不变，经费定额与上年持平": something else that stayed level,
            # a cause, not a part of the change explained.
            continue
        sign = 0 if is_flat else _change_sign(label)
        other = label_subject(topic, label) if sign is None and in_reason else None
        if sign is None and in_reason and mention.group("money") and other in (None, current):
            # "基本支出增加机关事业单位养老保险、职业年金缴费等 1447.63 万元": inside an
            # explanation, the change word can open an enumeration the amount closes.
            sign = _change_sign(_CLAUSE_DELIMITERS.split(prefix)[-1])
        named = label_subject(topic, _subject_words(label) if sign is not None else label)
        if named is not None and named[0] == "function_class" and lead is not None and lead[0] in _KINDS:
            # "(二)项目支出:…其中:一般公共服务支出 417.41 万元": the class's part of 项目支出, not
            # the class's whole spending that T1 states.
            continue
        if named is None and current is None and sign is None and not in_reason:
            named = lead  # "（一）因公出国（境）费用。2026 年预算数 14.85 万元": the item the paragraph heads
        if named is not None and named != current:
            in_reason = False
        dated = _AS_OF_YEAR.search(prefix) or _PLAN_YEAR.search(prefix)
        if dated and topic == "assets":
            year_context = int(dated.group(1))
        year = year_context if topic == "assets" else budget_year
        if mention.group("pct") is not None:
            # "基本支出781.93万元，占总支出92.78%": what 占 names is the whole, the share is the
            # figure's before it.
            subject = (current or named) if _SHARE.search(label) else (named or current)
            figure = _percentage(source_file, paragraph, mention, label, subject, in_reason, budget_year)
            if figure is not None:
                figures.append(figure)
            continue
        if mention.group("count") is not None:
            amount, unit, measure = Amount(Decimal(mention.group("count")), 0), "辆", "辆"
            if topic != "assets":
                continue
        elif is_flat:
            amount, unit, measure = Amount(Decimal(0), 2), WAN_YUAN, WAN_YUAN
        elif mention.group("bare") is not None:
            # A unit left off inside a list ("…支出6.75,") is its neighbours' unit; only a
            # class figure is read this way, where the list leaves no doubt what it is.
            if sign is not None or named is None or named[0] != "function_class":
                continue
            parsed = parse_amount(mention.group("bare"))
            assert parsed is not None
            unit = last_unit
            amount, measure = _wan_yuan(parsed, unit), WAN_YUAN
        else:
            unit = last_unit = mention.group("unit")
            parsed = parse_amount(mention.group("money"))
            assert parsed is not None
            amount, measure = _wan_yuan(parsed, unit), WAN_YUAN
        if amount is None:
            continue
        if topic == "assets" and "购置" in prefix:
            scope = "purchase_"
        excerpt = (label + mention.group(0))[-60:]
        if sign is None:
            if in_reason or named is None:
                continue  # an amount inside an explanation, or one whose meaning is unknown
            # "比 2025 年年初预算数 43702.84 万元": the level compared against, the prior year's.
            compared = _COMPARE_YEAR.search(label)
            if compared:
                year = int(compared.group(1))
            elif _COMPARE_IMPLICIT.search(label) and budget_year:
                year = budget_year - 1
            current = named
            key = named[0] if not scope else named[0].replace("procurement_", "procurement_" + scope, 1)
            if scope == "_carryover" and key.startswith("income_") and key not in ("income_carryover",):
                key += "_carryover"
            if topic == "assets" and scope:
                key = key.replace("vehicles_", "vehicles_purchase_", 1)
            if key == "performance_managed_funds" and not _ALL_PROJECTS_MANAGED.search(text):
                key = "performance_target_project_funds"
            figures.append(
                _figure(
                    source_file,
                    key,
                    "level",
                    named[1],
                    year,
                    None,
                    False,
                    amount,
                    measure,
                    unit,
                    paragraph,
                    mention.start(),
                    excerpt,
                )
            )
            continue
        subject = named or current
        if subject is None:
            continue
        explicit = _COMPARE_YEAR.search(label)
        compare_year = int(explicit.group(1)) if explicit else (budget_year - 1 if budget_year else None)
        # Inside an explanation, a change of the same figure (or of no named one) is a part of it.
        kind = "change_part" if in_reason and (named is None or named == current) else "change"
        current = subject
        figures.append(
            _figure(
                source_file,
                subject[0],
                kind,
                subject[1],
                budget_year,
                compare_year,
                bool(explicit),
                Amount(amount.value * sign, amount.decimals),
                measure,
                unit,
                paragraph,
                mention.start(),
                excerpt,
            )
        )
    return figures


_SHARE = re.compile(r"占|比重")
_LEADING_NUMBER = re.compile(
    r"^\s*(?:[(（][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+、|\d+\s*[、.．](?!\d))"
)


def _percentage(source_file, paragraph, mention, label, subject, in_reason, budget_year) -> NarrativeFigure | None:
    """A stated share of the total (占…%) or growth against last year (增长…%), for RULES N-4."""
    if subject is None or in_reason:
        return None
    parsed = parse_amount(mention.group("pct"))
    assert parsed is not None
    if _SHARE.search(label):
        kind, value = "share", parsed.value
    else:
        sign = _change_sign(label)
        if sign is None:
            return None
        kind, value = "growth", parsed.value * sign
    excerpt = (label + mention.group(0))[-60:]
    return _figure(
        source_file,
        subject[0],
        kind,
        subject[1],
        budget_year,
        None,
        False,
        Amount(value, parsed.decimals),
        "%",
        "%",
        paragraph,
        mention.start(),
        excerpt,
    )


def _figure(
    source_file, key, kind, code, year, compare_year, stated, amount: Amount, measure, unit, paragraph, offset, excerpt
):
    return NarrativeFigure(
        source_file,
        key,
        kind,
        code,
        year,
        compare_year,
        stated,
        amount.value,
        measure,
        unit or measure,
        amount.decimals,
        paragraph.line_at(offset),
        paragraph.offsets[0][1],
        excerpt.strip(),
    )


__all__ = ["paragraphs", "read_narrative"]
