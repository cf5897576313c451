"""Deterministic TEST-ONLY keys: the same public seed label always gives the same key.

Why: generated fixtures (the sample portfolio, synthetic cohorts) must be byte-identical on
every run, so their keys cannot come from a random source. Never use these for real issuing.
"""

from __future__ import annotations

import hashlib
import random
from functools import cache

from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

__test__ = False


def seeded_ed25519(seed: str) -> ed25519.Ed25519PrivateKey:
    return ed25519.Ed25519PrivateKey.from_private_bytes(hashlib.sha256(seed.encode()).digest())


_SMALL_PRIMES = [p for p in range(3, 2000) if all(p % d for d in range(2, int(p ** 0.5) + 1))]


def _probable_prime(n: int, rng: random.Random) -> bool:
    if any(n % p == 0 for p in _SMALL_PRIMES):
        return n in _SMALL_PRIMES
    d, s = n - 1, 0
    while d % 2 == 0:
        d, s = d // 2, s + 1
    for _ in range(24):
        x = pow(rng.randrange(2, n - 2), d, n)
        if x in (1, n - 1):
            continue
        for _ in range(s - 1):
            x = pow(x, 2, n)
            if x == n - 1:
                break
        else:
            return False
    return True


def _prime(bits: int, rng: random.Random) -> int:
    while True:
        candidate = rng.getrandbits(bits) | (3 << (bits - 2)) | 1
        if candidate % 65537 != 1 and _probable_prime(candidate, rng):
            return candidate


@cache
def seeded_rsa(seed: str, bits: int = 2048) -> rsa.RSAPrivateKey:
    """An RSA key from a seeded prime search: the same seed gives the same key."""
    rng = random.Random(seed)
    e = 65537
    p, q = _prime(bits // 2, rng), _prime(bits // 2, rng)
    if p < q:
        p, q = q, p
    d = pow(e, -1, (p - 1) * (q - 1))
    numbers = rsa.RSAPrivateNumbers(p, q, d, d % (p - 1), d % (q - 1), pow(q, -1, p),
                                     rsa.RSAPublicNumbers(e, p * q))
    return numbers.private_key()
