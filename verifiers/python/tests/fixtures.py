"""Small synthetic rosters and a signed ceremony built with this package, for the tests.

The ceremony is made by the same code that verifies it, so these tests check the plumbing
and that tampering is found; agreement with the Rust implementation is what tests/vectors/
are for.
"""

import base64
import hashlib
import os
import random
import sys

sys.path.insert(0, os.path.join(os.path.dirname(__file__), ".."))

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey  # noqa: E402

from double_random_verify import amend, ceremony, codes, jcs  # noqa: E402
from double_random_verify.digest import table_digest  # noqa: E402
from double_random_verify.draw import Draw  # noqa: E402
from double_random_verify.plan import announced_plan, parse_plan, plan_digest  # noqa: E402
from double_random_verify.roster import parse_table  # noqa: E402

PLAN = """\
plan_id = "SC-2026-07"
plan_name = "2026年第七批 食品经营"
task_id = "T-07"
task_name = "食品经营许可事项检查"
authority = "某市市场监督管理局"
draw_date = 2026-11-30
items = ["I1", "I2"]
publish_risk = true

[filters]
regions = ["3501"]

[repeat]
entity_window_days = 365
inspector_window_days = 365

[strata]
by = "risk"
A = { ratio = "10%" }
B = { ratio = "5%", rounding = "nearest" }
C = { count = 4 }
unclassified = { ratio = 0.05 }

[team]
officers = 2
experts = 1
exclude_same_region = true
"""


def uscc(rnd):
    body = "91" + rnd.choice(["350102", "350103", "350104", "360102"]) + "".join(
        rnd.choice("0123456789") for _ in range(9))
    return body + codes.uscc_check_char(body)


def rosters(seed=1, entities=200, inspectors=30):
    """CSV bytes for every table, with Chinese headers, GB18030 for one of them."""
    rnd = random.Random(seed)
    ids = sorted({uscc(rnd) for _ in range(entities)})
    ent = ["统一社会信用代码,名称,类型,行政区划代码,登记状态,风险等级,行业代码,标签"]
    for n, eid in enumerate(ids):
        ent.append(",".join([eid, f"测试{n}有限公司", rnd.choice(["企业", "个体工商户"]), eid[2:8],
                             rnd.choice(["存续"] * 5 + ["注销"]), rnd.choice(["A", "B类", "C", ""]),
                             rnd.choice(["1311", "C13", "", "5211"]), "\"食品;餐饮\""]))
    ins = ["执法证号,姓名,所属部门,行政区划代码,执法资质,业务专长,人员类别,状态"]
    for n in range(inspectors):
        ins.append(",".join([f"ZF{n:04d}", f"检查员{n}", rnd.choice(["市场科", "食品科"]),
                             rnd.choice(["350102", "350103", ""]), "食品;广告", "",
                             rnd.choice(["执法人员", "执法人员", "专家"]),
                             rnd.choice(["在岗"] * 6 + ["休假"])]))
    items = "事项编号,事项名称,事项类别,所需资质\r\nI1,食品经营许可检查,一般,食品\r\nI2,广告检查,重点,\r\n"
    conflicts = ["执法证号,统一社会信用代码,回避事由"]
    for _ in range(10):
        conflicts.append(f"ZF{rnd.randrange(inspectors):04d},{rnd.choice(ids)},亲属")
    conflicts = list(dict.fromkeys(conflicts))
    history = ["统一社会信用代码,检查日期,检查人员,检查类型"]
    for _ in range(30):
        history.append(f"{rnd.choice(ids)},2026/0{rnd.randrange(1, 10)}/1{rnd.randrange(10)},"
                       f"ZF{rnd.randrange(inspectors):04d},{rnd.choice(['双随机', '举报'])}")
    return {
        "entities.csv": ("\n".join(ent) + "\n").encode("utf-8"),
        "inspectors.csv": ("\n".join(ins) + "\n").encode("gb18030"),
        "items.csv": b"\xef\xbb\xbf" + items.encode("utf-8"),
        "conflicts.csv": ("\n".join(conflicts) + "\n").encode("utf-8"),
        "history.csv": ("\n".join(history) + "\n").encode("utf-8"),
        "plan.toml": PLAN.encode("utf-8"),
    }


class Signer:
    def __init__(self, seed=b"\x07" * 32, key_id=b"\x01\x23\x45\x67\x89\xab\xcd\xef"):
        self.sk = Ed25519PrivateKey.from_private_bytes(seed)
        self.key_id = key_id

    def public_key_file(self):
        pk = self.sk.public_key().public_bytes_raw()
        kid = "%016X" % int.from_bytes(self.key_id, "little")
        return (f"untrusted comment: minisign public key {kid}\n"
                + base64.b64encode(b"Ed" + self.key_id + pk).decode() + "\n").encode()

    def sign(self, data, name, draw_id, comment=None):
        sig = self.sk.sign(hashlib.blake2b(data, digest_size=64).digest())
        comment = comment or f"draw:{draw_id}\tfile:{name}\tsha256:{hashlib.sha256(data).hexdigest()}"
        glob = self.sk.sign(sig + comment.encode())
        return ("untrusted comment: signature from minisign secret key\n"
                + base64.b64encode(b"ED" + self.key_id + sig).decode() + "\n"
                + f"trusted comment: {comment}\n"
                + base64.b64encode(glob).decode() + "\n").encode()


def make_ceremony(directory, files=None, beacon="external", amendments=()):
    """Write a complete signed ceremony into directory; returns the Draw."""
    files = files or rosters()
    os.makedirs(directory, exist_ok=True)
    for name, data in files.items():
        with open(os.path.join(directory, name), "wb") as fh:
            fh.write(data)
    tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
              for k in ["entities", "inspectors", "items", "conflicts", "history"]}
    plan = parse_plan(files["plan.toml"])
    signer = Signer()
    draw_id = "SC-2026-07-1"
    parties = [("市场监管局", "organizer", b"\x11" * 32), ("公证处", "witness", b"\x22" * 32)]
    if beacon == "drand":
        b = {"kind": "drand", "chain_hash": "ab" * 32, "public_key": "cd" * 48,
             "scheme": "bls-unchained-g1-rfc9380", "period_seconds": 3, "genesis_time": 1700000000,
             "round": 32000000}
        signature = b"\x5a" * 48
        value = {"kind": "drand", "round": 32000000, "signature": signature.hex(),
                 "randomness": hashlib.sha256(signature).hexdigest()}
    else:
        b = {"kind": "external", "description": "福利彩票双色球 2026138 期", "source": "cwl.gov.cn"}
        value = {"kind": "external", "value": " 03 09 14 21 26 31 + 08\n"}
    ann = {
        "announced_at": "2026-11-29T08:00:00Z", "beacon": b, "draw_id": draw_id,
        "format": "double-random/announcement",
        "inputs": {**{k: {"digest": table_digest(k, rows).hex(), "rows": len(rows)}
                      for k, rows in tables.items()}, "plan": plan_digest(plan)},
        "key_id": "%016X" % int.from_bytes(signer.key_id, "little"),
        "parties": [{"commitment": ceremony.commitment(n, s).hex(), "name": n, "role": r}
                    for n, r, s in parties],
        "plan": announced_plan(plan), "previous": None,
        "scheduled_at": "2026-11-30T02:00:00Z", "version": "v1",
    }
    ann_bytes = jcs.encode(ann)
    ann_digest = hashlib.sha256(ann_bytes).digest()
    seed = ceremony.seed(ann_digest, [s for _, _, s in parties], ceremony.beacon_bytes(value))
    draw = Draw(plan, tables, seed)
    sheet = {
        "announcement": ann_digest.hex(), "beacon": value, "draw_id": draw_id,
        "drawn_at": "2026-11-30T02:00:05Z", **draw.sheet_parts(),
        "format": "double-random/sheet", "plan": announced_plan(plan),
        "reveals": [{"name": n, "secret": s.hex()} for n, _, s in parties],
        "seed": seed.hex(), "version": "v1",
    }
    sheet_bytes = jcs.encode(sheet)
    out = {"announcement.json": ann_bytes, "sheet.json": sheet_bytes}
    state = amend.State(draw, sheet["entities"])
    caps = {p["label"]: p["cap"] for p in sheet["pools"]}
    previous = None
    for seq, pick in enumerate(amendments, 1):
        entities = sorted(state.teams)
        if pick == "entity":
            action = {"entity": entities[seq % len(entities)], "kind": "replace_entity"}
            reason = {"code": "entity_closed", "text": "已注销"}
        else:
            target = entities[(3 * seq) % len(entities)]
            action = {"entity": target, "inspector": state.teams[target]["officers"][1],
                      "kind": "replace_inspector"}
            reason = {"code": "inspector_recused", "text": "近亲属"}
        outcome, inspectors = amend.replay(state, action, seq, caps)
        doc = {"action": action, "amended_at": f"2026-12-0{seq}T09:00:00Z", "draw_id": draw_id,
               "format": "double-random/amendment", "inspectors": inspectors,
               "outcome": outcome, "previous": previous, "reason": reason, "seq": seq,
               "sheet": hashlib.sha256(sheet_bytes).hexdigest(), "version": "v1"}
        data = jcs.encode(doc)
        out[f"amendment-{seq}.json"] = data
        previous = hashlib.sha256(data).hexdigest()
    for name, data in out.items():
        with open(os.path.join(directory, name), "wb") as fh:
            fh.write(data)
        with open(os.path.join(directory, name + ".minisig"), "wb") as fh:
            fh.write(signer.sign(data, name, draw_id))
    with open(os.path.join(directory, "organizer.pub"), "wb") as fh:
        fh.write(signer.public_key_file())
    lines, prev = [], None
    for seq, (name, data) in enumerate(out.items(), 1):
        kind = name.split(".")[0].split("-")[0]
        line = jcs.encode({"document": hashlib.sha256(data).hexdigest(), "draw_id": draw_id,
                           "kind": kind, "note": "", "prev": prev, "seq": seq,
                           "time": "2026-11-30T02:00:05Z"})
        lines.append(line + b"\n")
        prev = hashlib.sha256(line).hexdigest()
    with open(os.path.join(directory, "office.log"), "wb") as fh:
        fh.write(b"".join(lines))
    return draw
