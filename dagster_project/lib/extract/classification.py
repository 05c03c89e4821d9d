"""Function-class names to codes, from the national code list the dbt seeds hold.

Narrative text and T1 name classes without codes ("卫生健康支出"); the code is the key
(docs/data-contracts.md). Names vary across years and templates (full-width brackets, 医疗卫生与计划生育支出
for 卫生健康支出), so matching normalises brackets and spacing and knows older names.
"""

from __future__ import annotations

import csv
import re
from functools import cache
from pathlib import Path

from .amounts import normalise_text

SEEDS_DIR = Path(__file__).resolve().parents[3] / "dbt" / "seeds"

# Names used in other editions of the classification for the same 类.
_FORMER_CLASS_NAMES = {
    "医疗卫生与计划生育支出": "210",
    "医疗卫生支出": "210",
    "节能环保支出": "211",
    "城乡社区事务支出": "212",
    "城乡社区支出": "212",
    "农林水事务支出": "213",
    "国土资源气象等事务支出": "220",
    "国土海洋气象等支出": "220",
}


_FORMER_NAME_NOTE = re.compile(r"older name '([^']+)'")


_NUMBERING = re.compile(
    r"^(?:[一二三四五六七八九十]+|\d{1,2})\s*[、.．]|^[(（]\d{1,2}[)）]|^[一二三四五六七八九十]+\s+"
)


def name_key(name: str) -> str:
    text = normalise_text(name)
    text = re.sub(r"^\s*[\[【]?\d{3,7}[\]】]?\s*", "", text)
    # "一、", "1.", "(1)", or (a PDF that moved the 、 behind the name) "一 社会保障和就业支出、";
    # not the 一 of 一般公共服务支出.
    text = _NUMBERING.sub("", text)
    text = re.sub(r"[(（]类[)）]", "", text)  # "一般公共服务(类)支出" (Jiangsu) names the 类
    text = re.sub(r"[、，,]\s*$", "", text.strip())
    return re.sub(r"[\s()（）“”\"'·]", "", text)


@cache
def _class_names() -> dict[str, str]:
    names: dict[str, str] = {}
    with (SEEDS_DIR / "function_subjects.csv").open(encoding="utf-8") as handle:
        for row in csv.DictReader(handle):
            if row["level"] == "1":
                names[name_key(row["name"])] = row["code"]
                # The code list records names of earlier editions in its provenance notes.
                for former in _FORMER_NAME_NOTE.findall(row.get("edition_note") or ""):
                    names.setdefault(name_key(former), row["code"])
    for name, code in _FORMER_CLASS_NAMES.items():
        names.setdefault(name_key(name), code)
    return names


def function_class_code(name: str) -> str | None:
    """The 类 code (3 digits) a class name denotes, or None when it is not a class name."""
    match = re.match(r"^\s*[\[【]?(\d{3})(?!\d)", normalise_text(name))
    if match:
        return match.group(1)
    key = name_key(name)
    names = _class_names()
    if key in names:
        return names[key]
    if not key.endswith("支出") and key + "支出" in names:
        return names[key + "支出"]
    return None


def class_names_in(text: str) -> list[tuple[str, str]]:
    """Every class name found in a run of text, longest first, as (name, code)."""
    key = name_key(text)
    return [(name, code) for name, code in sorted(_class_names().items(), key=lambda kv: -len(kv[0])) if name in key]
