"""Keyed streams, below(n) and the prefix-stable sampler (SPEC §5)."""

from .chacha import KeystreamWords
from .digest import TAG_STREAM, framed


def stream_key(seed, label):
    return framed(TAG_STREAM, seed, label.encode("utf-8"))


class Stream:
    """The random stream for one label: next_u32, next_u64 and below(n)."""

    def __init__(self, seed, label, words=KeystreamWords):
        self.label = label
        self._words = words(stream_key(seed, label))

    def next_u32(self):
        return self._words.next_u32()

    def next_u64(self):
        low = self._words.next_u32()
        high = self._words.next_u32()
        return low | (high << 32)

    def below(self, n):
        """Uniform in [0, n) by rejection: r = 2^64 mod n, redraw while x < r."""
        if n < 1:
            raise ValueError("below(n) needs n >= 1")
        r = (1 << 64) % n
        while True:
            x = self.next_u64()
            if x >= r:
                return x % n


class Sampler:
    """Picks from the virtual array [0, 1, ..., n-1] by a partial Fisher-Yates shuffle."""

    def __init__(self, stream, n):
        self.stream = stream
        self.n = n
        self.i = 0
        self._swapped = {}  # positions whose value is not their index

    def _get(self, pos):
        return self._swapped.get(pos, pos)

    def pick(self):
        if self.i >= self.n:
            raise IndexError(f"all {self.n} members already picked")
        i = self.i
        j = i + self.stream.below(self.n - i)
        a_i, a_j = self._get(i), self._get(j)
        self._swapped[i], self._swapped[j] = a_j, a_i
        self.i += 1
        return a_j


def sample(stream, n, k):
    """The first k picks of Sampler(stream, n)."""
    sampler = Sampler(stream, n)
    return [sampler.pick() for _ in range(k)]
