"""Sanity checks for the bundled classification catalogues (juesuan/catalog/data).

Uses only the stdlib csv module so it does not depend on the catalogue loader.
"""
import csv
from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent.parent / "juesuan" / "catalog" / "data"
YEARS = (2023, 2024)

# 支出功能分类 类 expected in every bundled year.
FUNCTION_CLASSES = [
    "201", "202", "203", "204", "205", "206", "207", "208", "209", "210",
    "211", "212", "213", "214", "215", "216", "217", "219", "220", "221",
    "222", "223", "224", "227", "229", "230", "231", "232", "233", "234",
]

# Classes that must be complete down to 项: every 款 has at least one 项.
FULL_DEPTH_CLASSES = ["201", "205", "206", "207", "208", "209", "210",
                      "211", "212", "213", "221", "224", "229"]

# Codes used in the reference document
# (the 2023 disclosure of the Hanyang District Big Data Center, Wuhan: examples/hanyang-bdc-2023).
REFERENCE_FUNCTION_CODES = {
    "201": "一般公共服务支出",
    "20103": "政府办公厅（室）及相关机构事务",
    "2010350": "事业运行",
    "2010399": "其他政府办公厅（室）及相关机构事务支出",
    "208": "社会保障和就业支出",
    "20805": "行政事业单位养老支出",
    "2080505": "机关事业单位基本养老保险缴费支出",
    "2080506": "机关事业单位职业年金缴费支出",
    "210": "卫生健康支出",
    "21011": "行政事业单位医疗",
    "2101102": "事业单位医疗",
    "2101103": "公务员医疗补助",
    "213": "农林水支出",
    "21305": "巩固脱贫衔接乡村振兴",
    "2130599": "其他巩固脱贫衔接乡村振兴支出",
    "221": "住房保障支出",
    "22102": "住房改革支出",
    "2210201": "住房公积金",
    "2210202": "提租补贴",
}

REFERENCE_ECONOMIC_CODES = {
    "301": "工资福利支出",
    "30101": "基本工资",
    "30102": "津贴补贴",
    "30103": "奖金",
    "30106": "伙食补助费",
    "30107": "绩效工资",
    "30108": "机关事业单位基本养老保险缴费",
    "30109": "职业年金缴费",
    "30110": "职工基本医疗保险缴费",
    "30111": "公务员医疗补助缴费",
    "30112": "其他社会保障缴费",
    "30113": "住房公积金",
    "30114": "医疗费",
    "30199": "其他工资福利支出",
    "302": "商品和服务支出",
    "30201": "办公费",
    "30202": "印刷费",
    "30203": "咨询费",
    "30204": "手续费",
    "30205": "水费",
    "30206": "电费",
    "30207": "邮电费",
    "30208": "取暖费",
    "30209": "物业管理费",
    "30211": "差旅费",
    "30212": "因公出国（境）费用",
    "30213": "维修（护）费",
    "30214": "租赁费",
    "30215": "会议费",
    "30216": "培训费",
    "30217": "公务接待费",
    "30218": "专用材料费",
    "30224": "被装购置费",
    "30225": "专用燃料费",
    "30226": "劳务费",
    "30227": "委托业务费",
    "30228": "工会经费",
    "30229": "福利费",
    "30231": "公务用车运行维护费",
    "30239": "其他交通费用",
    "30240": "税金及附加费用",
    "30299": "其他商品和服务支出",
    "303": "对个人和家庭的补助",
    "30301": "离休费",
    "30302": "退休费",
    "30303": "退职（役）费",
    "30304": "抚恤金",
    "30305": "生活补助",
    "30306": "救济费",
    "30307": "医疗费补助",
    "30308": "助学金",
    "30309": "奖励金",
    "30310": "个人农业生产补贴",
    "30311": "代缴社会保险费",
    "30399": "其他对个人和家庭的补助",
    "310": "资本性支出",
    "31002": "办公设备购置",
    "31003": "专用设备购置",
    "31007": "信息网络及软件购置更新",
    "31013": "公务用车购置",
    "31021": "文物和陈列品购置",
    "31022": "无形资产购置",
    "31099": "其他资本性支出",
}

ECONOMIC_CLASSES = ["301", "302", "303", "307", "309", "310", "311", "312", "313", "399"]


def read_catalog(kind, year):
    path = DATA / f"{kind}_{year}.csv"
    with path.open(encoding="utf-8", newline="") as f:
        rows = list(csv.reader(f))
    return rows


def as_dict(rows):
    return {code: name for code, name in rows[1:]}


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("kind,lengths", [("function", {3, 5, 7}), ("economic", {3, 5})])
def test_format(kind, lengths, year):
    rows = read_catalog(kind, year)
    assert rows[0] == ["code", "name"]
    body = rows[1:]
    assert body, "catalogue is empty"
    for row in body:
        assert len(row) == 2, row
        code, name = row
        assert code.isdigit() and code.isascii(), row
        assert len(code) in lengths, row
        assert name and name == name.strip(), row
        # Full-width parentheses are used consistently in names.
        assert "(" not in name and ")" not in name, row
    codes = [r[0] for r in body]
    assert len(codes) == len(set(codes)), "duplicate codes"


@pytest.mark.parametrize("year", YEARS)
@pytest.mark.parametrize("kind", ["function", "economic"])
def test_hierarchy(kind, year):
    cat = as_dict(read_catalog(kind, year))
    for code in cat:
        if len(code) == 5:
            assert code[:3] in cat, f"款 {code} has no 类"
        elif len(code) == 7:
            assert code[:5] in cat, f"项 {code} has no 款"


@pytest.mark.parametrize("year", YEARS)
def test_function_classes_present(year):
    cat = as_dict(read_catalog("function", year))
    missing = [c for c in FUNCTION_CLASSES if c not in cat]
    assert not missing
    # Every 类 except 预备费 (227, which has no 款) has at least one 款.
    for c in FUNCTION_CLASSES:
        if c == "227":
            continue
        assert any(len(k) == 5 and k.startswith(c) for k in cat), c


@pytest.mark.parametrize("year", YEARS)
def test_economic_classes_present(year):
    cat = as_dict(read_catalog("economic", year))
    for c in ECONOMIC_CLASSES:
        assert c in cat, c
        assert any(len(k) == 5 and k.startswith(c) for k in cat), c


@pytest.mark.parametrize("year", YEARS)
def test_full_depth_classes(year):
    cat = as_dict(read_catalog("function", year))
    for cls in FULL_DEPTH_CLASSES:
        kuan = [k for k in cat if len(k) == 5 and k.startswith(cls)]
        assert kuan, cls
        for k in kuan:
            assert any(len(x) == 7 and x.startswith(k) for x in cat), f"款 {k} has no 项"


@pytest.mark.parametrize("year", YEARS)
def test_standard_items(year):
    cat = as_dict(read_catalog("function", year))
    # Spot checks of standard 项 names.
    assert cat["2010101"] == "行政运行"
    assert cat["2010102"] == "一般行政管理事务"
    assert cat["2010103"] == "机关服务"
    assert cat["2010150"] == "事业运行"
    assert cat["2059999"] == "其他教育支出"
    for code, name in cat.items():
        if len(code) == 7 and code.endswith("50") and code[:3] in FULL_DEPTH_CLASSES:
            assert name in ("事业运行", "地震事业机构"), (code, name)


@pytest.mark.parametrize("year", YEARS)
def test_reference_document_function_codes(year):
    cat = as_dict(read_catalog("function", year))
    for code, name in REFERENCE_FUNCTION_CODES.items():
        assert cat.get(code) == name, (code, cat.get(code), name)


@pytest.mark.parametrize("year", YEARS)
def test_reference_document_economic_codes(year):
    cat = as_dict(read_catalog("economic", year))
    for code, name in REFERENCE_ECONOMIC_CODES.items():
        assert cat.get(code) == name, (code, cat.get(code), name)


def test_readme_present():
    assert (DATA / "README.md").is_file()
