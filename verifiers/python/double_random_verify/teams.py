"""Team assignment (SPEC §7.4): random choices that always keep the state completable.

Completability is a bipartite b-matching question: can every target t get
q − |committed(t)| further distinct eligible members, none already committed to t, with
every member's load plus its further choices ≤ cap? It is decided with augmenting paths
(max-flow). One completion ("further" choices) is kept and repaired after each commit, so
a test costs at most one augmenting-path search.
"""

from . import DrawError


class Assignment:
    def __init__(self, targets, members, per_entity, cap, eligible, committed=None):
        """targets: ids in procedure order; members: ids in ascending order;
        eligible(member, target) -> bool; committed: target -> list of members already fixed."""
        self.targets = list(targets)
        self.q = per_entity
        self.cap = cap
        committed = committed or {}
        self.committed = {t: list(committed.get(t, [])) for t in self.targets}
        self.load = {i: 0 for i in members}
        for t in self.targets:
            for i in self.committed[t]:
                self.load[i] = self.load.get(i, 0) + 1
        # members that may serve each target, in ascending id order
        self.eligible = {t: [i for i in members if eligible(i, t)] for t in self.targets}
        # the current completion: further choices per target, and per member
        self.further = {t: set() for t in self.targets}
        self.assigned = {i: set() for i in self.load}

    # -- completion bookkeeping -------------------------------------------------------

    def need(self, t):
        return self.q - len(self.committed[t])

    def spare(self, i):
        return self.cap - self.load[i] - len(self.assigned[i])

    def _may_take(self, i, t):
        return i not in self.committed[t] and i not in self.further[t]

    def _augment(self, start):
        """Give target `start` one more further member, moving others along a path."""
        parent = {start: None}  # target -> (member moving into it, target it came from)
        seen_members = set()
        queue = [start]
        for target in queue:
            for i in self.eligible[target]:
                if i in seen_members or not self._may_take(i, target):
                    continue
                seen_members.add(i)
                if self.spare(i) > 0:
                    self._apply_path(parent, target, i)
                    return True
                for other in self.assigned[i]:
                    if other not in parent:
                        parent[other] = (i, target)
                        queue.append(other)
        return False

    def _apply_path(self, parent, target, member):
        # `member` (with spare capacity) joins `target`; then each member on the path leaves
        # the target it served for the one that needed it, back to the start.
        self.further[target].add(member)
        self.assigned[member].add(target)
        while parent[target] is not None:
            moving, into = parent[target]
            self.further[target].discard(moving)
            self.assigned[moving].discard(target)
            self.further[into].add(moving)
            self.assigned[moving].add(into)
            target = into

    def complete(self):
        """Fill the completion; None when completable, else (target, reason)."""
        for t in self.targets:
            over = [i for i in self.committed[t] if self.load[i] > self.cap]
            if over:
                return t, f"{over[0]} is committed beyond the workload cap {self.cap}"
        for t in self.targets:
            while len(self.further[t]) < self.need(t):
                if not self._augment(t):
                    free = [i for i in self.eligible[t] if i not in self.committed[t]]
                    if len(free) < self.need(t):
                        return t, (f"only {len(free)} eligible members for "
                                   f"{self.need(t)} places")
                    return t, f"the workload cap {self.cap} is exhausted"
        return None

    def _snapshot(self):
        return ({t: set(s) for t, s in self.further.items()},
                {i: set(s) for i, s in self.assigned.items()})

    def try_commit(self, t, m):
        """Commit m to t if the state stays completable; True when committed."""
        if m in self.further[t]:  # the completion already had m there: nothing to repair
            self.further[t].discard(m)
            self.assigned[m].discard(t)
            self.committed[t].append(m)
            self.load[m] += 1
            return True
        saved = self._snapshot()
        self.committed[t].append(m)
        self.load[m] += 1
        # t now needs one fewer further member
        drop = min(self.further[t])
        self.further[t].discard(drop)
        self.assigned[drop].discard(t)
        ok = True
        if self.spare(m) < 0:  # m has one fewer place: it leaves one of its further targets
            other = min(self.assigned[m])
            self.assigned[m].discard(other)
            self.further[other].discard(m)
            ok = self._augment(other)
        if not ok:
            self.committed[t].pop()
            self.load[m] -= 1
            self.further, self.assigned = saved
        return ok

    # -- the procedure ------------------------------------------------------------------

    def run(self, stream, describe=str):
        """SPEC §7.4 steps 1–2. Returns target -> committed members (in commit order)."""
        failure = self.complete()
        if failure is not None:
            t, reason = failure
            raise DrawError(f"no complete team assignment: {describe(t)} cannot be served "
                            f"({reason})")
        for t in self.targets:
            while len(self.committed[t]) < self.q:
                candidates = [i for i in self.eligible[t]
                              if i not in self.committed[t] and self.load[i] < self.cap]
                while True:
                    if not candidates:  # impossible while the state is completable
                        raise AssertionError(f"dead end at {t}")
                    j = stream.below(len(candidates))
                    if self.try_commit(t, candidates[j]):
                        break
                    del candidates[j]
        return self.committed
