"""Random departments' disclosures, each different, for the batch benchmarks and tests.

``random_disclosure(rng, i)`` is canonical data (a dict, amounts in yuan as text) of one unit:
a few 功能分类 项 with basic, project and fund amounts, the economic classes of its basic
expenditure, 三公 figures and some project self-evaluations — consistent, so that ``check``
finds no error in what ``build`` makes of it.

``python bench/synth.py OUT --data N --pdf M [--seed S]`` writes N data directories
(``OUT/data/unit-0001/disclosure.yaml``) and M PDFs built by juesuan (``OUT/pdf/unit-0001.pdf``).
"""

from __future__ import annotations

import argparse
import random
import sys
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

ITEMS = ["2010101", "2010350", "2010399", "2050201", "2080505", "2080506", "2101101",
         "2101102", "2101103", "2130599", "2120101", "2210201", "2210202", "2210203"]
ECON = ["30101", "30102", "30107", "30108", "30113", "30201", "30211", "30226", "30305", "31002"]
WORDS = ["政务", "网络", "运维", "平台", "数据", "治理", "安全", "热线", "档案", "培训", "乡村振兴", "信息化"]
KINDS = ["中心", "服务中心", "管理局", "事务所", "研究院", "办公室"]


def _yuan(rng: random.Random, top: int) -> Decimal:
    return Decimal(rng.randint(0, top * 100)) / 100


def random_disclosure(rng: random.Random, i: int, region: str = "武汉市汉阳区", year: int = 2023) -> dict:
    codes = sorted(rng.sample(ITEMS, rng.randint(2, 8)))
    income, expenditure, approp = [], [], []
    basic_total = Decimal(0)
    for code in codes:
        gb, gp = _yuan(rng, 3_000_000), _yuan(rng, 2_000_000)
        fb = _yuan(rng, 500_000) if rng.random() < 0.3 else Decimal(0)
        other = _yuan(rng, 200_000) if rng.random() < 0.4 else Decimal(0)
        expenditure.append({"code": code, "basic": gb, "project": gp + fb, "operating": other})
        approp.append({"code": code, "fund": "general", "basic": gb, "project": gp})
        if fb:
            approp.append({"code": code, "fund": "gov_fund", "project": fb})
        income.append({"code": code, "general": gb + gp, "gov_fund": fb, "operating": other})
        basic_total += gb
    n = rng.randint(2, len(ECON))
    cents = int(basic_total * 100)
    cuts = sorted(rng.randint(0, cents) for _ in range(n - 1))
    bounds = [0, *cuts, cents]
    econ = {ECON[k]: Decimal(bounds[k + 1] - bounds[k]) / 100 for k in range(n)}
    final = {k: _yuan(rng, 80_000) for k in ("abroad", "vehicle_purchase", "vehicle_operation", "reception")}
    budget = {k: v + _yuan(rng, 20_000) for k, v in final.items()}
    projects = []
    for p in range(rng.randint(0, 6)):
        b = _yuan(rng, 900_000) + 1
        projects.append({"name": rng.choice(WORDS) + rng.choice(WORDS) + f"项目{p + 1}", "budget": b,
                         "actual": min(b, _yuan(rng, 900_000)),
                         "indicators": [{"level1": "产出指标", "level2": "数量指标", "level3": f"完成数量{p + 1}",
                                         "target": "10个", "actual": f"{rng.randint(1, 10)}个"}]})
    name = f"{region}{rng.choice(WORDS)}{rng.choice(KINDS)}{i:04d}"
    return {"year": year,
            "entity": {"name": name, "level": "区", "unit_type": "事业单位", "region": region},
            "income": income, "expenditure": expenditure, "appropriations": approp,
            "basic_by_economic": econ, "three_public": {"budget": budget, "final": final},
            "performance": {"projects": projects}}


def _plain(v):
    if isinstance(v, dict):
        return {k: _plain(x) for k, x in v.items()}
    if isinstance(v, list):
        return [_plain(x) for x in v]
    return format(v, "f") if isinstance(v, Decimal) else v


def write_data(out: Path, n: int, seed: int = 1) -> list[Path]:
    import yaml
    rng = random.Random(seed)
    dirs = []
    for i in range(1, n + 1):
        d = out / f"unit-{i:04d}"
        d.mkdir(parents=True, exist_ok=True)
        (d / "disclosure.yaml").write_text(yaml.safe_dump(_plain(random_disclosure(rng, i)), allow_unicode=True,
                                                          sort_keys=False), encoding="utf-8")
        dirs.append(d)
    return dirs


def write_pdfs(out: Path, n: int, seed: int = 2) -> list[Path]:
    from juesuan.pipeline import build, render
    tmp = out.parent / f"_{out.name}_data"
    out.mkdir(parents=True, exist_ok=True)
    files = []
    for d in write_data(tmp, n, seed):
        b = build(d)
        [(_, path, problem)] = render(b.document, ["pdf"], out, paths={"pdf": out / f"{d.name}.pdf"})
        if problem:
            raise SystemExit(problem)
        files.append(path)
    return files


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", type=Path)
    ap.add_argument("--data", type=int, default=0)
    ap.add_argument("--pdf", type=int, default=0)
    ap.add_argument("--seed", type=int, default=1)
    a = ap.parse_args()
    if a.data:
        write_data(a.out / "data", a.data, a.seed)
    if a.pdf:
        write_pdfs(a.out / "pdf", a.pdf, a.seed + 1)


if __name__ == "__main__":
    main()
