"""The ChaCha20 keystream of SPEC §5.1.

Bernstein's original layout: 64-bit block counter in state words 12–13, a 64-bit stream id
(always 0 here) in words 14–15. The `cryptography` package takes a 16-byte "nonce" that is
exactly words 12–15, so u64le(0) || u64le(0) gives that layout for any practical length.
A pure-Python version follows; it is used only to cross-check the package in the tests.
"""

import struct

from cryptography.hazmat.primitives.ciphers import Cipher, algorithms

CHUNK = 4096  # keystream bytes fetched at a time (64 blocks)


class KeystreamWords:
    """Yields the keystream as little-endian 32-bit words, in order, none skipped."""

    def __init__(self, key, block_counter=0, stream_id=0):
        if len(key) != 32:
            raise ValueError("a ChaCha20 key has 32 bytes")
        nonce = struct.pack("<QQ", block_counter, stream_id)
        self._encryptor = Cipher(algorithms.ChaCha20(key, nonce), mode=None).encryptor()
        self._words = ()
        self._pos = 0

    def next_u32(self):
        if self._pos == len(self._words):
            block = self._encryptor.update(bytes(CHUNK))
            self._words = struct.unpack("<%dI" % (CHUNK // 4), block)
            self._pos = 0
        word = self._words[self._pos]
        self._pos += 1
        return word


# ---------------------------------------------------------------- pure Python, for tests

def _rotl(x, n):
    return ((x << n) | (x >> (32 - n))) & 0xFFFFFFFF


def _quarter(s, a, b, c, d):
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 16)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 12)
    s[a] = (s[a] + s[b]) & 0xFFFFFFFF
    s[d] = _rotl(s[d] ^ s[a], 8)
    s[c] = (s[c] + s[d]) & 0xFFFFFFFF
    s[b] = _rotl(s[b] ^ s[c], 7)


def pure_block(key, counter, stream_id=0):
    """One 64-byte ChaCha20 block, as 16 words, computed in pure Python."""
    constants = struct.unpack("<4I", b"expand 32-byte k")
    state = [*constants, *struct.unpack("<8I", key),
             counter & 0xFFFFFFFF, counter >> 32,
             stream_id & 0xFFFFFFFF, stream_id >> 32]
    s = list(state)
    for _ in range(10):
        _quarter(s, 0, 4, 8, 12)
        _quarter(s, 1, 5, 9, 13)
        _quarter(s, 2, 6, 10, 14)
        _quarter(s, 3, 7, 11, 15)
        _quarter(s, 0, 5, 10, 15)
        _quarter(s, 1, 6, 11, 12)
        _quarter(s, 2, 7, 8, 13)
        _quarter(s, 3, 4, 9, 14)
    return [(a + b) & 0xFFFFFFFF for a, b in zip(s, state)]


class PureKeystreamWords:
    def __init__(self, key):
        self._key = key
        self._counter = 0
        self._words = []
        self._pos = 0

    def next_u32(self):
        if self._pos == len(self._words):
            self._words = pure_block(self._key, self._counter)
            self._counter += 1
            self._pos = 0
        word = self._words[self._pos]
        self._pos += 1
        return word
