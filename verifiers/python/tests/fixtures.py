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
import time

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
        """A prehashed minisign signature with the trusted comment of SPEC §14."""
        sig = self.sk.sign(hashlib.blake2b(data, digest_size=64).digest())
        comment = comment or f"draw:{draw_id}\tfile:{name}\tsha256:{hashlib.sha256(data).hexdigest()}"
        glob = self.sk.sign(sig + comment.encode())
        return ("untrusted comment: signature from minisign secret key\n"
                + base64.b64encode(b"ED" + self.key_id + sig).decode() + "\n"
                + f"trusted comment: {comment}\n"
                + base64.b64encode(glob).decode() + "\n").encode()


DRAW_ID = "SC-2026-07-1"
BASE_TIME = 1795939200  # 2026-11-29T08:00:00Z
QUICKNET = "52db9ba70e0cc0f6eaf7803dd07447a1f5477735fd3f661792ba94600c84e971"
SSQ = [{"count": 6, "distinct": True, "max": 33, "min": 1, "ordered": False},
       {"count": 1, "distinct": True, "max": 16, "min": 1, "ordered": False}]


def utc(t):
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime(t))


def task_of(plan):
    return {"batch": plan["batch"], "plan_id": plan["plan_id"], "task_id": plan["task_id"]}


class Office:
    """An office folder: office.log, checkpoints/, organizer.pub and one folder per draw.

    publish() signs a document at the next log position, writes it into its draw folder,
    appends its entry and writes a signed checkpoint (SPEC §12)."""

    def __init__(self, root, signer=None):
        self.root = root
        self.signer = signer or Signer()
        self.lines = []
        os.makedirs(os.path.join(root, "checkpoints"), exist_ok=True)
        write(os.path.join(root, "organizer.pub"), self.signer.public_key_file())
        if os.path.exists(os.path.join(root, "office.log")):
            with open(os.path.join(root, "office.log"), "rb") as fh:
                self.lines = fh.read().split(b"\n")[:-1]

    def position(self):
        prev = hashlib.sha256(self.lines[-1]).hexdigest() if self.lines else None
        return {"prev": prev, "seq": len(self.lines) + 1}

    def key_path(self):
        return os.path.join(self.root, "organizer.pub")

    def publish(self, draw_id, name, doc, kind, when, task, sign=True, log=True):
        """doc["log"] is set to the next position; returns the document's bytes."""
        doc["log"] = self.position()
        data = jcs.encode(doc)
        folder = os.path.join(self.root, draw_id)
        os.makedirs(folder, exist_ok=True)
        write(os.path.join(folder, name), data)
        if sign:
            write(os.path.join(folder, name + ".minisig"), self.signer.sign(data, name, draw_id))
        if log:
            self.append({"document": hashlib.sha256(data).hexdigest(), "draw_id": draw_id,
                         "kind": kind, **doc["log"], "task": task, "time": when})
        return data

    def append(self, entry):
        self.lines.append(jcs.encode(entry))
        write(os.path.join(self.root, "office.log"), b"".join(x + b"\n" for x in self.lines))
        self.checkpoint(entry["time"])

    def checkpoint(self, when):
        size = len(self.lines)
        doc = {"format": "double-random/checkpoint",
               "head": hashlib.sha256(self.lines[-1]).hexdigest() if self.lines else None,
               "key_id": "%016X" % int.from_bytes(self.signer.key_id, "little"),
               "size": size, "time": when, "version": "v2"}
        data = jcs.encode(doc)
        name = f"checkpoint-{size}.json"
        comment = f"log:{size}\tfile:{name}\tsha256:{hashlib.sha256(data).hexdigest()}"
        write(os.path.join(self.root, "checkpoints", name), data)
        write(os.path.join(self.root, "checkpoints", name + ".minisig"),
              self.signer.sign(data, name, None, comment))
        return data


def write(path, data):
    with open(path, "wb") as fh:
        fh.write(data)


def announce(office, plan, tables, draw_id=DRAW_ID, parties=None, beacon="external",
             t0=BASE_TIME, supersedes=None):
    """Publish an announcement; returns (doc, bytes, secrets, beacon value or None)."""
    parties = parties if parties is not None else [
        ("市场监管局", "organizer", b"\x11" * 32), ("公证处", "witness", b"\x22" * 32)]
    value = None
    if beacon == "drand":
        genesis, period = 1692803367, 3
        rnd = (t0 + 3600 - genesis) // period + 1
        b = {"kind": "drand", "chain_hash": QUICKNET,
             "public_key": ceremony.KNOWN_DRAND_CHAINS[QUICKNET]["public_key"],
             "scheme": "bls-unchained-g1-rfc9380", "period_seconds": period,
             "genesis_time": genesis, "round": rnd}
        signature = b"\x5a" * 48
        value = {"kind": "drand", "randomness": hashlib.sha256(signature).hexdigest(),
                 "round": rnd, "signature": signature.hex()}
    elif beacon == "external":
        b = {"kind": "external", "description": "福利彩票双色球 2026138 期",
             "groups": SSQ, "published_at": utc(t0 + 3600), "source": "cwl.gov.cn"}
        value = {"kind": "external",
                 "groups": ceremony.read_typed_beacon(" 03 09 14 21 26 31 + 08\n", SSQ)}
    else:
        b = None
    ann = {
        "announced_at": utc(t0), "beacon": b, "draw_id": draw_id,
        "format": "double-random/announcement",
        "inputs": {**{k: {"digest": table_digest(k, rows).hex(), "rows": len(rows)}
                      for k, rows in tables.items()}, "plan": plan_digest(plan)},
        "key_id": "%016X" % int.from_bytes(office.signer.key_id, "little"),
        "parties": [{"commitment": ceremony.commitment(draw_id, n, s).hex(), "name": n, "role": r}
                    for n, r, s in parties],
        "plan": announced_plan(plan), "scheduled_at": utc(t0 + 7200),
        "supersedes": supersedes, "version": "v2",
    }
    data = office.publish(draw_id, "announcement.json", ann, "announcement", ann["announced_at"],
                          task_of(plan))
    return ann, data, [s for _, _, s in parties], value


def void(office, plan, ann, ann_bytes, code="secret_not_revealed", when=None):
    doc = {"announcement": hashlib.sha256(ann_bytes).hexdigest(), "draw_id": ann["draw_id"],
           "format": "double-random/void", "reason": {"code": code, "text": "见证人未揭示"},
           "version": "v2", "voided_at": when or ann["scheduled_at"]}
    return office.publish(ann["draw_id"], "void.json", doc, "void", doc["voided_at"],
                          task_of(plan))


def make_ceremony(root, files=None, beacon="external", amendments=(), draw_id=DRAW_ID,
                  t0=BASE_TIME, office=None, supersedes=None, parties=None):
    """Write a complete signed draw into the office folder root; returns the draw folder.

    The draw folder holds the rosters, plan.toml, every document and its signature."""
    files = files or rosters()
    office = office or Office(root)
    folder = os.path.join(root, draw_id)
    os.makedirs(folder, exist_ok=True)
    for name, data in files.items():
        write(os.path.join(folder, name), data)
    tables = {k: parse_table(k, files[k + ".csv"], k + ".csv").rows
              for k in ["entities", "inspectors", "items", "conflicts", "history"]}
    plan = parse_plan(files["plan.toml"])
    ann, ann_bytes, secrets, value = announce(office, plan, tables, draw_id, parties, beacon, t0,
                                              supersedes)
    ann_digest = hashlib.sha256(ann_bytes).digest()
    seed = ceremony.seed(ann_digest, secrets, ceremony.beacon_bytes(value) if value else None)
    draw = Draw(plan, tables, seed)
    sheet = {
        "announcement": ann_digest.hex(), "beacon": value, "draw_id": draw_id,
        "drawn_at": utc(t0 + 7205), **draw.sheet_parts(),
        "format": "double-random/sheet", "plan": announced_plan(plan),
        "reveals": [{"name": p["name"], "secret": s.hex()} for p, s in zip(ann["parties"], secrets)],
        "seed": seed.hex(), "version": "v2",
    }
    sheet_bytes = office.publish(draw_id, "sheet.json", sheet, "sheet", sheet["drawn_at"],
                                 task_of(plan))
    state = amend.State(draw, sheet["entities"])
    previous = None
    for seq, pick in enumerate(amendments, 1):
        entities = sorted(state.teams)
        if pick == "entity":
            action = {"entity": entities[seq % len(entities)], "kind": "replace_entity"}
            reason = {"code": "entity_closed", "text": "已注销"}
        else:
            target = entities[(3 * seq) % len(entities)] if pick == "inspector" else pick[1]
            action = {"entity": target, "inspector": state.teams[target]["officers"][1],
                      "kind": "replace_inspector"}
            reason = {"code": "inspector_recused", "text": "近亲属"}
        outcome, inspectors = amend.replay(state, action)
        doc = {"action": action, "amended_at": utc(t0 + 86400 * seq), "draw_id": draw_id,
               "format": "double-random/amendment", "inspectors": inspectors,
               "outcome": outcome, "previous": previous, "reason": reason, "seq": seq,
               "sheet": hashlib.sha256(sheet_bytes).hexdigest(), "version": "v2"}
        name = f"amendment-{seq}.json"
        data = office.publish(draw_id, name, doc, "amendment", doc["amended_at"], task_of(plan))
        previous = hashlib.sha256(data).hexdigest()
    write(os.path.join(folder, "organizer.pub"), office.signer.public_key_file())
    return folder
