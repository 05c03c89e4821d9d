"""`budgetwh generate`: a synthetic county's disclosures, deterministic for a seed number,
with injected defects recorded in manifest.json beside them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from .budget import rng_for, unit_budget
from .catalogue import COUNTY_CODE, COUNTY_NAME, county_units
from .defects import DEFECTS, NEEDS_PRIOR_YEAR_DISCLOSURE, near_miss, vary
from .publication import publish
from .text import render


@dataclass
class GeneratedCounty:
    root: Path
    documents: list[str] = field(default_factory=list)
    defects: list[dict] = field(default_factory=list)
    near_misses: list[dict] = field(default_factory=list)


def generate_county(
    out_dir: Path,
    seed: int = 2025,
    departments: int = 32,
    townships: int = 50,
    years: tuple[int, ...] = (2023, 2024, 2025),
    defect_share: float = 0.15,
    near_miss_share: float = 0.1,
) -> GeneratedCounty:
    """Write raw/<county>/<year>/<code>_<name>.txt for every unit and year, and manifest.json."""
    county_dir = out_dir / COUNTY_CODE
    result = GeneratedCounty(county_dir)
    units = county_units(departments, townships)
    defect_number = 0
    for year in years:
        (county_dir / str(year)).mkdir(parents=True, exist_ok=True)
        for unit in units:
            rng = rng_for(seed, "document", unit.code, year)
            pub = vary(publish(unit_budget(seed, unit, year), unit_budget(seed, unit, year - 1)), rng)
            key = f"{COUNTY_CODE}/{year}/{unit.code}_{unit.name.removeprefix(COUNTY_NAME)}.txt"
            roll = rng.random()
            if roll < defect_share:
                inject = DEFECTS[defect_number % len(DEFECTS)]
                defect_number += 1
                if inject.__name__ in NEEDS_PRIOR_YEAR_DISCLOSURE and year - 1 not in years:
                    inject = DEFECTS[defect_number % len(DEFECTS)]
                    defect_number += 1
                if inject.__name__ == "missing_table":
                    pub.omitted = pub.omitted - {"T9"}
                rule_id, detail = inject(pub, rng)
                result.defects.append({"file": key, "rule_id": rule_id, "defect": inject.__name__, "detail": detail})
            elif roll < defect_share + near_miss_share:
                rule_id, detail = near_miss(pub, rng)
                result.near_misses.append(
                    {"file": key, "rule_id": rule_id, "expected_status": "rounding", "detail": detail}
                )
            (out_dir / key).write_text(render(pub), encoding="utf-8")
            result.documents.append(key)
    manifest = {
        "county_code": COUNTY_CODE,
        "county_name": COUNTY_NAME,
        "synthetic": True,
        "seed": seed,
        "years": list(years),
        "units": len(units),
        "documents": len(result.documents),
        "defect_share": defect_share,
        "defects": result.defects,
        "near_misses": result.near_misses,
    }
    (county_dir / "manifest.json").write_text(
        json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return result
