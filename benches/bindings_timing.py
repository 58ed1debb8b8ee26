"""Times check inputs, announce, draw and verify through the Python binding (benches/bindings.sh)."""

import sys
import time

import double_random as dr

dir_ = sys.argv[1]
t = time.perf_counter()
inputs = dr.Inputs.from_dir(dir_)
load = time.perf_counter() - t
key = dr.Key.from_seed(bytes([1] * 8), bytes([2] * 32))
office = dr.Office()
secret = bytes([9] * 32)
t = time.perf_counter()
office.announce(inputs, key, draw_id="B1", organizer="o", organizer_secret=secret,
                announced_at="2026-03-01T01:00:00Z", scheduled_at="2026-03-01T02:00:00Z",
                drill=True)
announce = time.perf_counter() - t
t = time.perf_counter()
office.draw(inputs, key, draw_id="B1", reveals=[{"name": "o", "secret": secret}],
            drawn_at="2026-03-01T02:00:00Z")
draw = time.perf_counter() - t
t = time.perf_counter()
v = office.verify("B1", key.public_key, inputs)
verify = time.perf_counter() - t
assert v["passed"], v
ms = lambda s: s * 1000  # noqa: E731
print(f"python  load {ms(load):8.1f} ms  announce {ms(announce):6.1f} ms  draw {ms(draw):8.1f} ms"
      f"  verify {ms(verify):8.1f} ms")
