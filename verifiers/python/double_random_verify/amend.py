"""Replaying amendments (SPEC §11) on top of a replayed draw: per-entity rankings (§11.2)."""

from . import DrawError
from .rng import Sampler, Stream


class Ranking:
    """An entity's ranking of a pool's members (SPEC §11.2), read lazily.

    The members sorted by id, ordered by sample(|M|, |M|) on stream rank/<pool>/<entity>."""

    def __init__(self, seed, pool, entity_id):
        self.members = pool.members  # ascending id (SPEC §7.1)
        self.sampler = Sampler(Stream(seed, f"rank/{pool.label}/{entity_id}"), len(self.members))
        self.read = []

    def __iter__(self):
        n = 0
        while True:
            if n == len(self.read):
                if self.sampler.i >= self.sampler.n:
                    return
                self.read.append(self.members[self.sampler.pick()])
            yield self.read[n]
            n += 1


def ranking(seed, pool, entity_id, length=None):
    """The first `length` members of the ranking (all of them by default)."""
    out = []
    for member in Ranking(seed, pool, entity_id):
        if length is not None and len(out) == length:
            break
        out.append(member)
    return out


class State:
    """The drawn entities and their teams, per pool, after the amendments so far (SPEC §11.1)."""

    def __init__(self, draw, sheet_entities, sheet_caps=None):
        self.draw = draw
        self.teams = {}
        for obj in sheet_entities:
            self.teams[obj["id"]] = self._split(obj)
        self.replaced_in_stratum = {}  # stratum label -> replace_entity amendments so far
        self.recusals_of = {}  # entity id -> replace_inspector amendments so far
        self.recusals = set()  # (inspector, entity)
        self.sheet_caps = sheet_caps or {p.label: p.cap for p in draw.pools}

    def _split(self, obj):
        team = {}
        for pool in self.draw.pools:
            listed = obj["officers"] if pool.kind == "officer" else obj["experts"]
            members = set(pool.members)
            team[pool.label] = [i for i in listed if i in members]
        return team

    def stratum_of(self, entity_id):
        label = self.draw.stratum_of.get(entity_id)
        if label is None:
            raise DrawError(f"entity {entity_id} is in no stratum of the replayed draw")
        return label

    def cap(self, pool):
        """The amendment cap (SPEC §11.1): the sheet's cap, plus one without workload_cap."""
        cap = self.sheet_caps.get(pool.label, pool.cap)
        return cap if self.draw.plan["team"]["workload_cap"] is not None else cap + 1

    def load(self, pool, without=None):
        counts = {}
        for e, team in self.teams.items():
            if e == without:
                continue
            for i in team[pool.label]:
                counts[i] = counts.get(i, 0) + 1
        return counts

    def available(self, pool, entity, member, load, extra_pairs=()):
        """SPEC §11.2: eligible (with every recusal), on no team of the entity, under the cap."""
        if (member, entity) in self.recusals or (member, entity) in extra_pairs:
            return False
        if not self.draw.exclusions.eligible(member, entity):
            return False
        team = self.teams.get(entity, {})
        if any(member in members for members in team.values()):
            return False
        return load.get(member, 0) < self.cap(pool)


def replay(state, action, seq=None, sheet_caps=None):
    """Apply one amendment's action; returns (outcome, inspectors) as the document has them.

    Raises DrawError when SPEC §11.3-§11.4 refuse the amendment. (seq and sheet_caps are
    accepted for callers of the earlier form; the caps come from the state.)"""
    draw = state.draw
    entity = action["entity"]
    if entity not in state.teams:
        raise DrawError(f"entity {entity} is not on the sheet (after earlier amendments)")

    if action["kind"] == "replace_entity":
        label = state.stratum_of(entity)
        stratum = draw.stratum(label)
        used = stratum.k + state.replaced_in_stratum.get(label, 0)
        if used >= stratum.n:
            raise DrawError(f"stratum {label} has no member left to replace {entity}")
        sampler = Sampler(Stream(draw.seed, "entities/" + label), stratum.n)
        for _ in range(used):
            sampler.pick()
        replacement = stratum.members[sampler.pick()]
        if replacement in state.teams:
            raise DrawError(f"the next pick of stratum {label}, {replacement}, is already drawn")
        team = {}
        for pool in draw.pools:
            load = state.load(pool, without=entity)
            chosen = []
            for member in Ranking(draw.seed, pool, replacement):
                if len(chosen) == pool.per_entity:
                    break
                if state.available(pool, replacement, member, load):
                    chosen.append(member)
            if len(chosen) < pool.per_entity:
                raise DrawError(f"pool {pool.label}: {len(chosen)} members available for the "
                                f"replacement {replacement}, {pool.per_entity} needed")
            team[pool.label] = chosen
        del state.teams[entity]
        state.teams[replacement] = team
        state.replaced_in_stratum[label] = state.replaced_in_stratum.get(label, 0) + 1
        obj = draw.entity_object(replacement, team)
        names = sorted(set(obj["officers"]) | set(obj["experts"]))
        return ({"entity": obj, "kind": "replace_entity"},
                [draw.inspector_object(i) for i in names])

    # replace_inspector (SPEC §11.4)
    recused = action["inspector"]
    pool = next((p for p in draw.pools if recused in p.members), None)
    if pool is None:
        raise DrawError(f"inspector {recused} is in no pool of the replayed draw")
    if recused not in state.teams[entity][pool.label]:
        raise DrawError(f"inspector {recused} is not on the team of {entity}")
    cap = draw.plan["team"]["recusal_cap"]
    done = state.recusals_of.get(entity, 0)
    if done >= cap:
        raise DrawError(f"entity {entity} already has {done} recusals; team.recusal_cap is {cap}")
    pair = (recused, entity)
    load = state.load(pool)
    new = next((m for m in Ranking(draw.seed, pool, entity)
                if state.available(pool, entity, m, load, (pair,))), None)
    if new is None:
        raise DrawError(f"pool {pool.label}: no member available to replace {recused} on {entity}")
    state.recusals.add(pair)
    state.recusals_of[entity] = done + 1
    old_team = state.teams[entity][pool.label]
    state.teams[entity][pool.label] = [new if i == recused else i for i in old_team]
    return {"inspector": new, "kind": "replace_inspector"}, [draw.inspector_object(new)]
