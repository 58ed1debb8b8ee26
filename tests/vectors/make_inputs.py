#!/usr/bin/env python3
"""Writes the input files of the test vectors (run once; the outputs are committed).

The expected results (`expected.json`) are computed once by `cargo test --test all vectors::`
with DR_BLESS_VECTORS=1 for cases that have none, reviewed, and committed. They are never
regenerated to make a failure go away: a changed vector is a version change (SPEC §16).
"""
import os, random

CHARSET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
HERE = os.path.dirname(os.path.abspath(__file__))


def uscc(prefix17):
    s = sum(CHARSET.index(c) * pow(3, i, 31) for i, c in enumerate(prefix17))
    return prefix17 + CHARSET[(31 - s % 31) % 31]


def make_id(rng, region, kind="1"):
    body = "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(9))
    return uscc("9" + kind + region + body)


REGIONS = ["520102", "520103", "520111", "520112", "520113", "520115", "520123"]
INDUSTRIES = ["C1391", "F5211", "H6210", "I6513", "L7111", "A0141", "C3011"]
KINDS = ["企业", "个体工商户", "农民专业合作社"]
NAMES = ["黔味源", "筑城", "龙场", "花溪", "云岩", "梵净", "乌江", "娄山", "赤水", "苗岭"]
TAILS = ["食品有限公司", "副食店", "种植农民专业合作社", "汽车租赁有限公司", "医药有限公司"]


def write(case, name, header, rows, encoding="utf-8-sig"):
    d = os.path.join(HERE, case)
    os.makedirs(d, exist_ok=True)
    with open(os.path.join(d, name), "w", encoding=encoding, newline="") as f:
        f.write(",".join(header) + "\r\n")
        for r in rows:
            f.write(",".join(str(x) for x in r) + "\r\n")


def entities(rng, n, risks="ABCD", tags=("小微企业", "电商", "食品经营许可")):
    rows = []
    for i in range(n):
        region = rng.choice(REGIONS)
        kind = rng.choice(KINDS)
        rows.append([
            make_id(rng, region, {"企业": "1", "个体工商户": "2", "农民专业合作社": "3"}[kind]),
            rng.choice(NAMES) + str(i) + rng.choice(TAILS),
            kind,
            "贵阳市市场监督管理局",
            region,
            rng.choice(INDUSTRIES),
            rng.choice(["存续"] * 9 + ["注销"]),
            rng.choice(["否"] * 9 + ["是"]),
            rng.choice(risks) if risks else "",
            ";".join(sorted(rng.sample(tags, rng.randint(0, 2)))),
        ])
    return rows


E_HEAD = ["统一社会信用代码", "名称", "市场主体类型", "登记机关", "行政区划代码", "行业代码", "登记状态", "经营异常名录", "信用风险分类", "标签"]
I_HEAD = ["执法证号", "姓名", "所属部门", "行政区划代码", "执法资质", "业务专长", "人员类别", "状态"]
ITEM_HEAD = ["事项编号", "事项名称", "检查依据", "检查主体", "检查内容", "检查方式", "事项类别", "所需资质"]
C_HEAD = ["执法证号", "统一社会信用代码", "回避事由"]
H_HEAD = ["统一社会信用代码", "检查日期", "事项编号", "检查人员", "检查类型"]

ITEMS = [
    ["SC-001", "企业公示信息检查", "《企业信息公示暂行条例》", "市场监管部门", "年度报告公示信息", "书面检查", "一般", ""],
    ["SC-002", "食品经营者检查", "《食品安全法》", "市场监管部门", "食品经营许可与落实", "现场检查", "重点", "食品安全"],
    ["SW-001", "税务登记情况检查", "《税收征收管理法》", "税务部门", "税务登记", "书面检查", "一般", "税务稽查"],
    ["HB-001", "排污许可执行情况检查", "《排污许可管理条例》", "生态环境部门", "排污许可执行", "现场检查", "重点", "环境执法"],
]


def inspectors(rng, n, departments, quals, expert_every=0):
    rows = []
    for i in range(n):
        dept = departments[i % len(departments)]
        expert = expert_every and i % expert_every == expert_every - 1
        rows.append([
            ("ZJ-%04d" % i) if expert else "5201%010d" % (1000 + i),
            "检查员%d" % i,
            dept,
            REGIONS[i % len(REGIONS)],
            ";".join(quals.get(dept, [])),
            "食品安全" if expert else "",
            "专家" if expert else "执法人员",
            "在岗" if i % 11 != 10 else "休假",
        ])
    return rows


def plan(case, body):
    with open(os.path.join(HERE, case, "plan.toml"), "w", encoding="utf-8") as f:
        f.write(body)


def seed(case, hexseed):
    with open(os.path.join(HERE, case, "seed.hex"), "w") as f:
        f.write(hexseed + "\n")


HEAD = """plan_id = "V-{n}"
plan_name = "测试向量 {n}"
task_id = "T-{n}"
task_name = "{title}"
batch = "1"
authority = "贵阳市市场监督管理局"
draw_date = 2026-03-01
"""


def main():
    # 1. small undirected draw, one stratum.
    rng = random.Random(1)
    c = "01-small-undirected"
    write(c, "entities.csv", E_HEAD, entities(rng, 40, risks=""))
    write(c, "inspectors.csv", I_HEAD, inspectors(rng, 8, ["市场监督管理局"], {}))
    write(c, "items.csv", ITEM_HEAD, ITEMS[:1])
    write(c, "conflicts.csv", C_HEAD, [])
    write(c, "history.csv", H_HEAD, [])
    plan(c, HEAD.format(n=1, title="小规模不定向抽查") + """items = ["SC-001"]
[filters]
statuses = ["存续"]
[strata]
by = "none"
ratio = "10%"
[team]
officers = 2
""")
    seed(c, "00" * 32)

    # 2. directed draw with filters and repeat rules.
    rng = random.Random(2)
    c = "02-directed-filters"
    ents = entities(rng, 120, risks="")
    write(c, "entities.csv", E_HEAD, ents)
    write(c, "inspectors.csv", I_HEAD, inspectors(rng, 10, ["市场监督管理局"], {"市场监督管理局": ["食品安全", "市场监管综合执法"]}))
    write(c, "items.csv", ITEM_HEAD, ITEMS[:2])
    write(c, "conflicts.csv", C_HEAD, [])
    hist = []
    for e in rng.sample(ents, 30):
        hist.append([e[0], "2026-0%d-1%d" % (rng.randint(1, 2), rng.randint(0, 9)), "SC-002", "52010000001000", rng.choice(["双随机", "投诉举报"])])
    for e in rng.sample(ents, 10):
        hist.append([e[0], "2025-0%d-0%d" % (rng.randint(3, 9), rng.randint(1, 9)), "SC-001", "", "双随机"])
    write(c, "history.csv", H_HEAD, hist)
    plan(c, HEAD.format(n=2, title="定向抽查：食品行业") + """directed = true
items = ["SC-001", "SC-002"]
[filters]
regions = ["52010", "520111"]
industries = ["C", "F52", "H"]
kinds = ["企业", "个体工商户"]
statuses = ["存续"]
tags_any = ["食品经营许可", "小微企业"]
exclude_abnormal = true
[strata]
by = "none"
ratio = "25%"
min = 3
[repeat]
entity_window_days = 60
entity_yearly_cap = 1
same_items_only = false
[team]
officers = 2
""")
    seed(c, "11" * 32)

    # 3. four risk classes with different ratios (and unclassified entities).
    rng = random.Random(3)
    c = "03-risk-classes"
    write(c, "entities.csv", E_HEAD, entities(rng, 300, risks="ABCD") + entities(rng, 20, risks=""))
    write(c, "inspectors.csv", I_HEAD, inspectors(rng, 20, ["市场监督管理局"], {}))
    write(c, "items.csv", ITEM_HEAD, ITEMS[:1])
    write(c, "conflicts.csv", C_HEAD, [])
    write(c, "history.csv", H_HEAD, [])
    plan(c, HEAD.format(n=3, title="信用风险分类抽查") + """items = ["SC-001"]
publish_risk = true
[filters]
statuses = ["存续", "吊销"]
[strata]
by = "risk"
A = { ratio = "1%", min = 1 }
B = { ratio = "2.5%", rounding = "down", min = 1 }
C = { ratio = "10%", rounding = "nearest" }
D = { ratio = "30%", count = 5, max = 20 }
unclassified = { count = 2 }
[team]
officers = 2
workload_cap = 6
""")
    seed(c, "22" * 32)

    # 4. conflicts, same-region exclusion and inspector repeat window.
    rng = random.Random(4)
    c = "04-conflicts-region"
    ents = entities(rng, 60, risks="")
    insp = inspectors(rng, 9, ["市场监督管理局"], {})
    write(c, "entities.csv", E_HEAD, ents)
    write(c, "inspectors.csv", I_HEAD, insp)
    write(c, "items.csv", ITEM_HEAD, ITEMS[:1])
    conf = []
    for e in ents:
        for i in rng.sample(insp, 3):
            conf.append([i[0], e[0], "近亲属任职"])
    write(c, "conflicts.csv", C_HEAD, conf)
    hist = [[e[0], "2025-12-0%d" % rng.randint(1, 9), "SC-001", ";".join(i[0] for i in rng.sample(insp, 2)), "双随机"] for e in ents[:30]]
    write(c, "history.csv", H_HEAD, hist)
    plan(c, HEAD.format(n=4, title="回避与同区域排除") + """items = ["SC-001"]
[filters]
statuses = ["存续"]
[strata]
by = "none"
ratio = "30%"
[repeat]
inspector_window_days = 365
[team]
officers = 2
exclude_same_region = true
""")
    seed(c, "33" * 32)

    # 5. joint inspection over three departments, with experts.
    rng = random.Random(5)
    c = "05-joint-three-departments"
    write(c, "entities.csv", E_HEAD, entities(rng, 80, risks="AB"))
    depts = ["市场监督管理局", "税务局", "生态环境局"]
    write(c, "inspectors.csv", I_HEAD, inspectors(rng, 24, depts, {"市场监督管理局": ["食品安全"], "税务局": ["税务稽查"], "生态环境局": ["环境执法", "食品安全"]}, expert_every=8))
    write(c, "items.csv", ITEM_HEAD, ITEMS)
    write(c, "conflicts.csv", C_HEAD, [])
    write(c, "history.csv", H_HEAD, [])
    plan(c, HEAD.format(n=5, title="跨部门联合抽查") + """items = ["SC-001", "SC-002", "SW-001", "HB-001"]
[filters]
statuses = ["存续"]
[strata]
by = "risk"
A = { ratio = "5%", min = 1 }
B = { ratio = "10%", min = 1 }
[team]
experts = 1
[[team.joint]]
department = "市场监督管理局"
officers = 1
items = ["SC-001", "SC-002"]
[[team.joint]]
department = "税务局"
officers = 1
items = ["SW-001"]
[[team.joint]]
department = "生态环境局"
officers = 1
items = ["HB-001"]
""")
    seed(c, "44" * 32)

    # 6. a tight case: exactly one valid assignment exists.
    rng = random.Random(6)
    c = "06-tight-unique"
    ents = entities(rng, 3, risks="")
    for e in ents:
        e[6] = "存续"
        e[7] = "否"
    insp = inspectors(rng, 3, ["市场监督管理局"], {})
    for i in insp:
        i[7] = "在岗"
    write(c, "entities.csv", E_HEAD, ents)
    write(c, "inspectors.csv", I_HEAD, insp)
    write(c, "items.csv", ITEM_HEAD, ITEMS[:1])
    # entity k may not be inspected by inspector k: with 2 officers each and a cap of 2,
    # the only valid assignment gives each entity the other two.
    write(c, "conflicts.csv", C_HEAD, [[insp[k][0], ents[k][0], "曾在该企业任职"] for k in range(3)])
    write(c, "history.csv", H_HEAD, [])
    plan(c, HEAD.format(n=6, title="唯一可行分配") + """items = ["SC-001"]
[filters]
statuses = ["存续"]
[strata]
by = "none"
count = 3
[team]
officers = 2
workload_cap = 2
""")
    seed(c, "55" * 32)

    # 7. the same as case 1, as Excel writes it in GBK with English headers and shuffled rows:
    #    digests and result must equal case 1's.
    import csv, io
    src = os.path.join(HERE, "01-small-undirected")
    c = "07-small-undirected-gbk-english"
    os.makedirs(os.path.join(HERE, c), exist_ok=True)
    english = {
        "entities.csv": ["id", "name", "kind", "authority", "region", "industry", "status", "abnormal", "risk", "tags"],
        "inspectors.csv": ["certificate", "name", "department", "region", "qualifications", "specialties", "kind", "status"],
        "items.csv": ["id", "name", "basis", "subject", "content", "method", "category", "qualification"],
        "conflicts.csv": ["inspector", "entity", "reason"],
        "history.csv": ["entity", "date", "item", "inspectors", "kind"],
    }
    rng = random.Random(7)
    for name, head in english.items():
        with open(os.path.join(src, name), encoding="utf-8-sig", newline="") as f:
            rows = list(csv.reader(f))[1:]
        rng.shuffle(rows)
        write(c, name, head, rows, encoding="gb18030")
    with open(os.path.join(src, "plan.toml"), encoding="utf-8") as f:
        plan(c, f.read())
    seed(c, "00" * 32)


if __name__ == "__main__":
    main()
