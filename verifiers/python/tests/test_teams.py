import itertools
import random
import unittest

import fixtures  # noqa: F401
from double_random_verify import DrawError
from double_random_verify.rng import Stream
from double_random_verify.teams import Assignment


def brute_force_exists(targets, members, q, cap, eligible, committed):
    """Try every choice of further members for every target."""
    load = {i: 0 for i in members}
    for t in targets:
        for i in committed.get(t, []):
            load[i] += 1
    options = []
    for t in targets:
        have = committed.get(t, [])
        free = [i for i in members if eligible(i, t) and i not in have]
        options.append(list(itertools.combinations(free, q - len(have))))
    for choice in itertools.product(*options):
        extra = dict(load)
        for group in choice:
            for i in group:
                extra[i] += 1
        if all(v <= cap for v in extra.values()):
            return True
    return False


def random_instance(rnd):
    members = [f"M{i}" for i in range(rnd.randint(1, 5))]
    targets = [f"T{i}" for i in range(rnd.randint(1, 4))]
    q = rnd.randint(1, 3)
    cap = rnd.randint(1, 3)
    density = rnd.choice([0.4, 0.6, 0.8, 1.0])
    allowed = {(i, t) for i in members for t in targets if rnd.random() < density}
    committed = {}
    if rnd.random() < 0.4:  # an amendment-like state: some places already fixed
        for t in targets:
            pool = [i for i in members if (i, t) in allowed]
            committed[t] = rnd.sample(pool, min(len(pool), rnd.randint(0, q)))
    return targets, members, q, cap, (lambda i, t: (i, t) in allowed), committed


class TeamProcedure(unittest.TestCase):
    def check_valid(self, result, targets, q, cap, eligible, committed):
        load = {}
        for t in targets:
            team = result[t]
            self.assertEqual(len(team), q)
            self.assertEqual(len(set(team)), q)
            self.assertEqual(team[:len(committed.get(t, []))], committed.get(t, []))
            for i in team[len(committed.get(t, [])):]:
                self.assertTrue(eligible(i, t))
            for i in team:
                load[i] = load.get(i, 0) + 1
        self.assertTrue(all(v <= cap for v in load.values()))

    def test_never_dead_ends_and_fails_only_when_impossible(self):
        rnd = random.Random(2026)
        successes = failures = 0
        for n in range(1500):
            targets, members, q, cap, eligible, committed = random_instance(rnd)
            exists = brute_force_exists(targets, members, q, cap, eligible, committed)
            a = Assignment(targets, members, q, cap, eligible, committed)
            stream = Stream(rnd.randbytes(32), "officers")
            if exists:
                result = a.run(stream)  # must not raise, nor hit a dead end
                self.check_valid(result, targets, q, cap, eligible, committed)
                successes += 1
            else:
                with self.assertRaises(DrawError):
                    a.run(stream)
                failures += 1
        self.assertGreater(successes, 200)
        self.assertGreater(failures, 200)

    def test_every_completable_commit_is_accepted(self):
        # try_commit must agree with brute force on each single step
        rnd = random.Random(7)
        for _ in range(400):
            targets, members, q, cap, eligible, committed = random_instance(rnd)
            a = Assignment(targets, members, q, cap, eligible, committed)
            if a.complete() is not None:
                continue
            t = next((t for t in targets if len(a.committed[t]) < q), None)
            if t is None:
                continue
            for m in members:
                if not eligible(m, t) or m in a.committed[t] or a.load[m] >= cap:
                    continue
                after = {x: list(v) for x, v in a.committed.items()}
                after[t] = after[t] + [m]
                want = brute_force_exists(targets, members, q, cap, eligible, after)
                b = Assignment(targets, members, q, cap, eligible, committed)
                self.assertIsNone(b.complete())
                self.assertEqual(b.try_commit(t, m), want)

    def test_error_names_the_entity(self):
        a = Assignment(["E1", "E2"], ["A", "B"], 2, 5, lambda i, t: not (t == "E2" and i == "B"))
        with self.assertRaises(DrawError) as e:
            a.run(Stream(bytes(32), "officers"), describe=lambda t: f"entity {t}")
        self.assertIn("E2", str(e.exception))
        self.assertIn("eligible", str(e.exception))
        a = Assignment(["E1", "E2", "E3"], ["A", "B", "C"], 2, 1, lambda i, t: True)
        with self.assertRaises(DrawError) as e:
            a.run(Stream(bytes(32), "officers"))
        self.assertIn("cap", str(e.exception))

    def test_the_choice_follows_the_stream(self):
        members = [f"M{i:02d}" for i in range(20)]
        runs = set()
        for s in range(20):
            a = Assignment(["E"], members, 2, 1, lambda i, t: True)
            runs.add(tuple(a.run(Stream(bytes([s]) * 32, "officers"))["E"]))
        self.assertGreater(len(runs), 15)
        a = Assignment(["E"], members, 2, 1, lambda i, t: True)
        b = Assignment(["E"], members, 2, 1, lambda i, t: True)
        self.assertEqual(a.run(Stream(bytes(32), "x")), b.run(Stream(bytes(32), "x")))


if __name__ == "__main__":
    unittest.main()
