"""The entity draw (SPEC §6) and the pools and teams (SPEC §7) as far as the sheet needs."""

import datetime

from . import DrawError
from .codes import date as parse_date
from .digest import members_digest
from .rng import Sampler, Stream
from .teams import Assignment

STRATUM_ORDER = ["all", "A", "B", "C", "D", "E", "unclassified"]


def ceil_div(a, b):
    return -(-a // b)


# ---------------------------------------------------------------- §6.1 filters

def admitted(entity, filters):
    f = filters
    if f["region_prefixes"] and not any(entity["region"].startswith(p) for p in f["region_prefixes"]):
        return False
    if f["industry_prefixes"] and not any(entity["industry"].startswith(p)
                                          for p in f["industry_prefixes"]):
        return False
    if f["kinds"] and entity["kind"] not in f["kinds"]:
        return False
    if f["statuses"] and entity["status"] not in f["statuses"]:
        return False
    if f["tags_any"] and not any(tag in entity["tags"] for tag in f["tags_any"]):
        return False
    if f["tags_all"] and not all(tag in entity["tags"] for tag in f["tags_all"]):
        return False
    if f["exclude_abnormal"] and entity["abnormal"]:
        return False
    return True


# ---------------------------------------------------------------- §6.2 repeat rules

def days_before(draw_date, row_date):
    """d = draw_date − row.date in days."""
    return (draw_date - parse_date(row_date)).days


def repeat_exclusion(entity_id, history_by_entity, plan, draw_date):
    """None, 'recently_inspected' or 'yearly_cap'."""
    rep = plan["repeat"]
    rows = [r for r in history_by_entity.get(entity_id, [])
            if r["kind"] == "random"
            and (not rep["same_items_only"] or r["item"] in plan["items"])]
    window = rep["entity_window_days"]
    if window is not None and any(0 <= days_before(draw_date, r["date"]) < window for r in rows):
        return "recently_inspected"
    cap = rep["entity_yearly_cap"]
    if cap is not None:
        this_year = [r for r in rows if days_before(draw_date, r["date"]) >= 0
                     and parse_date(r["date"]).year == draw_date.year]
        if len(this_year) >= cap:
            return "yearly_cap"
    return None


# ---------------------------------------------------------------- §6.3 quotas

def quota_k(q, n):
    bp = q["ratio_bp"]
    if bp is None:
        ratio_k = 0
    elif q["rounding"] == "up":
        ratio_k = ceil_div(n * bp, 10000)
    elif q["rounding"] == "down":
        ratio_k = n * bp // 10000
    else:  # nearest
        ratio_k = (n * bp + 5000) // 10000
    k = max(ratio_k, q["count"] or 0)
    if q["min"] is not None:
        k = max(k, q["min"])
    if q["max"] is not None:
        k = min(k, q["max"])
    return min(k, n)


def plan_quotas(plan):
    """Stratum label -> quota, in canonical stratum order."""
    s = plan["strata"]
    if s["by"] == "none":
        return {"all": s["quota"]}
    quotas = {c: s["classes"][c] for c in "ABCDE" if c in s["classes"]}
    if s["unclassified"] is not None:
        quotas["unclassified"] = s["unclassified"]
    return quotas


def stratum_of(entity, plan):
    if plan["strata"]["by"] == "none":
        return "all"
    return entity["risk"] if entity["risk"] is not None else "unclassified"


class Stratum:
    def __init__(self, label, members, k, seed):
        self.label = label
        self.members = members  # ids, ascending
        self.n = len(members)
        self.k = k
        self.sampler = Sampler(Stream(seed, "entities/" + label), self.n)
        self.picks = [self.next_pick() for _ in range(k)]

    def next_pick(self):
        """The next pick of the stratum's stream (amendments continue after the k picks)."""
        if self.sampler.i >= self.n:
            raise DrawError(f"stratum {self.label} has no member left to draw "
                            f"(all {self.n} picked)")
        return self.members[self.sampler.pick()]

    def digest(self):
        return members_digest(self.label, self.members).hex()


# ---------------------------------------------------------------- §7.1–7.3 pools

class Pool:
    def __init__(self, label, kind, departments, per_entity, served_items):
        self.label = label
        self.kind = kind  # "officer" or "expert"
        self.departments = departments  # empty: any department
        self.per_entity = per_entity
        self.served_items = served_items
        self.members = []
        self.cap = None


def build_pools(plan, tables):
    team = plan["team"]
    if team["joint"]:
        pools = [Pool("officers/" + j["department"], "officer", [j["department"]],
                      j["officers"], j["items"]) for j in team["joint"]]
    else:
        pools = [Pool("officers", "officer", team["departments"], team["officers"],
                      plan["items"])]
    if team["experts"] > 0:
        pools.append(Pool("experts", "expert", [], team["experts"], plan["items"]))
    items = {row["id"]: row for row in tables["items"]}
    for pool in pools:
        required = {items[i]["qualification"] for i in pool.served_items} - {""}
        for ins in sorted(tables["inspectors"], key=lambda r: r["id"]):
            if ins["status"] != "on_duty" or ins["kind"] != pool.kind:
                continue
            if pool.departments and ins["department"] not in pool.departments:
                continue
            if pool.kind == "officer":
                # an officer holds every required qualification
                qualified = required <= set(ins["qualifications"])
            else:
                # an expert brings at least one of them, as qualification or specialty
                held = set(ins["qualifications"]) | set(ins["specialties"])
                qualified = not required or bool(required & held)
            if qualified:
                pool.members.append(ins["id"])
    return pools


class Exclusions:
    """§7.2: who may not serve whom (conflicts, recent inspections, region, recusals)."""

    def __init__(self, plan, tables, draw_date):
        self.pairs = {(c["inspector"], c["entity"]) for c in tables["conflicts"]}
        window = plan["repeat"]["inspector_window_days"]
        if window is not None:
            for row in tables["history"]:
                if 0 <= days_before(draw_date, row["date"]) < window:
                    for i in row["inspectors"]:
                        self.pairs.add((i, row["entity"]))
        self.same_region = plan["team"]["exclude_same_region"]
        self.inspector_region = {r["id"]: r["region"] for r in tables["inspectors"]}
        self.entity_region = {r["id"]: r["region"] for r in tables["entities"]}
        self.recusals = set()

    def eligible(self, inspector, entity):
        if (inspector, entity) in self.pairs or (inspector, entity) in self.recusals:
            return False
        if self.same_region:
            a = self.inspector_region.get(inspector, "")
            b = self.entity_region.get(entity, "")
            if a and b and a == b:
                return False
        return True


# ---------------------------------------------------------------- the whole draw

class Draw:
    """Everything the replay computes for a sheet, kept for amendments as well."""

    def __init__(self, plan, tables, seed):
        self.plan = plan
        self.tables = tables
        self.seed = seed
        self.draw_date = datetime.date.fromisoformat(plan["draw_date"])
        self.entities = {r["id"]: r for r in tables["entities"]}
        self.inspectors = {r["id"]: r for r in tables["inspectors"]}
        self.items = {r["id"]: r for r in tables["items"]}
        for i in plan["items"]:
            if i not in self.items:
                raise DrawError(f"plan item {i!r} is not in the item list")
        self._draw_entities()
        self.pools = build_pools(plan, tables)
        self.exclusions = Exclusions(plan, tables, self.draw_date)
        self._assign_teams()

    # §6
    def _draw_entities(self):
        plan = self.plan
        history_by_entity = {}
        for row in self.tables["history"]:
            history_by_entity.setdefault(row["entity"], []).append(row)
        self.excluded = {"filtered": 0, "recently_inspected": 0, "yearly_cap": 0}
        quotas = plan_quotas(plan)
        members = {label: [] for label in quotas}
        self.stratum_of = {}
        for e in sorted(self.entities.values(), key=lambda r: r["id"]):
            if not admitted(e, plan["filters"]):
                self.excluded["filtered"] += 1
                continue
            why = repeat_exclusion(e["id"], history_by_entity, plan, self.draw_date)
            if why:
                self.excluded[why] += 1
                continue
            label = stratum_of(e, plan)
            if label not in members:
                raise DrawError(f"entity {e['id']} is in stratum {label}, which has no quota "
                                "in the plan")
            members[label].append(e["id"])
            self.stratum_of[e["id"]] = label
        all_general = all(self.items[i]["category"] == "general" for i in plan["items"])
        cap_bp = plan["general_ratio_cap_bp"]
        self.strata = []
        for label, q in quotas.items():
            n = len(members[label])
            k = quota_k(q, n)
            if cap_bp is not None and all_general and k > ceil_div(n * cap_bp, 10000):
                raise DrawError(f"stratum {label}: {k} of {n} is above the general-items ratio "
                                f"cap of {cap_bp} bp")
            self.strata.append(Stratum(label, members[label], k, self.seed))
        self.drawn = sorted(e for s in self.strata for e in s.picks)

    def stratum(self, label):
        return next(s for s in self.strata if s.label == label)

    # §7
    def _assign_teams(self):
        n = len(self.drawn)
        self.teams = {e: {} for e in self.drawn}
        for pool in self.pools:
            if n and not pool.members:
                raise DrawError(f"pool {pool.label} has no members")
            if self.plan["team"]["workload_cap"] is not None:
                pool.cap = self.plan["team"]["workload_cap"]
            else:
                pool.cap = ceil_div(n * pool.per_entity, len(pool.members)) if pool.members else 0
            assignment = Assignment(self.drawn, pool.members, pool.per_entity, pool.cap,
                                    self.exclusions.eligible)
            committed = assignment.run(Stream(self.seed, pool.label), self.describe)
            for e in self.drawn:
                self.teams[e][pool.label] = committed[e]

    def describe(self, entity_id):
        e = self.entities.get(entity_id)
        return f"entity {entity_id} ({e['name']})" if e else f"entity {entity_id}"

    # §10 parts
    def entity_object(self, entity_id, team):
        officers = [i for pool in self.pools if pool.kind == "officer"
                    for i in team.get(pool.label, [])]
        experts = [i for pool in self.pools if pool.kind == "expert"
                   for i in team.get(pool.label, [])]
        obj = {"experts": experts, "id": entity_id, "name": self.entities[entity_id]["name"],
               "officers": officers}
        if self.plan["publish_risk"]:
            obj["stratum"] = self.stratum_of[entity_id]
        return obj

    def inspector_object(self, inspector_id):
        r = self.inspectors[inspector_id]
        return {"department": r["department"], "id": r["id"], "kind": r["kind"],
                "name": r["name"]}

    def sheet_parts(self):
        on_teams = sorted({i for e in self.drawn for members in self.teams[e].values()
                           for i in members})
        return {
            "entities": [self.entity_object(e, self.teams[e]) for e in self.drawn],
            "excluded": dict(self.excluded),
            "inspectors": [self.inspector_object(i) for i in on_teams],
            "pools": [{"cap": p.cap, "label": p.label, "per_entity": p.per_entity,
                       "size": len(p.members)} for p in self.pools],
            "strata": [{"k": s.k, "members_digest": s.digest(), "n": s.n, "stratum": s.label}
                       for s in self.strata],
        }
