"""Replaying amendments (SPEC §11) on top of a replayed draw."""

from . import DrawError
from .rng import Sampler, Stream
from .teams import Assignment


class State:
    """The drawn entities and their teams, per pool, after the amendments so far."""

    def __init__(self, draw, sheet_entities):
        self.draw = draw
        self.teams = {}
        for obj in sheet_entities:
            self.teams[obj["id"]] = self._split(obj)
        self.replaced_in_stratum = {}  # stratum label -> replace_entity amendments so far
        draw.exclusions.recusals = set()

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


def _run_pool(draw, state, pool, targets, committed, cap, label):
    assignment = Assignment(targets, pool.members, pool.per_entity, cap,
                            draw.exclusions.eligible, committed)
    return assignment.run(Stream(draw.seed, label), draw.describe)


def amendment_cap(draw, pool, sheet_caps):
    """SPEC §7.3: the sheet's cap when the plan sets workload_cap, else the sheet's cap + 1."""
    cap = sheet_caps.get(pool.label, pool.cap)
    return cap if draw.plan["team"]["workload_cap"] is not None else cap + 1


def replay(state, action, seq, sheet_caps):
    """Apply one amendment's action; returns (outcome, inspectors) as the document has them.

    sheet_caps: pool label -> the cap recorded on the sheet."""
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
        others = sorted(e for e in state.teams if e != entity)
        targets = others + [replacement]
        team = {}
        for pool in draw.pools:
            committed = {e: state.teams[e][pool.label] for e in others}
            committed[replacement] = []
            result = _run_pool(draw, state, pool, targets, committed,
                               amendment_cap(draw, pool, sheet_caps),
                               f"amend/{seq}/{pool.label}")
            team[pool.label] = result[replacement]
        del state.teams[entity]
        state.teams[replacement] = team
        state.replaced_in_stratum[label] = state.replaced_in_stratum.get(label, 0) + 1
        obj = draw.entity_object(replacement, team)
        names = sorted(set(obj["officers"]) | set(obj["experts"]))
        return ({"entity": obj, "kind": "replace_entity"},
                [draw.inspector_object(i) for i in names])

    # replace_inspector
    recused = action["inspector"]
    pool = next((p for p in draw.pools if recused in p.members), None)
    if pool is None:
        raise DrawError(f"inspector {recused} is in no pool of the replayed draw")
    if recused not in state.teams[entity][pool.label]:
        raise DrawError(f"inspector {recused} is not on the team of {entity}")
    draw.exclusions.recusals.add((recused, entity))
    targets = sorted(state.teams)
    committed = {e: list(state.teams[e][pool.label]) for e in targets}
    committed[entity] = [i for i in committed[entity] if i != recused]
    result = _run_pool(draw, state, pool, targets, committed,
                       amendment_cap(draw, pool, sheet_caps), f"amend/{seq}/{pool.label}")
    added = [i for i in result[entity] if i not in committed[entity]]
    if len(added) != 1:
        raise DrawError(f"replacing {recused} on {entity} did not add exactly one member")
    new = added[0]
    old_team = state.teams[entity][pool.label]
    state.teams[entity][pool.label] = [new if i == recused else i for i in old_team]
    return {"inspector": new, "kind": "replace_inspector"}, [draw.inspector_object(new)]
