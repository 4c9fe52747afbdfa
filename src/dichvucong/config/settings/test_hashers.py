"""Argon2 with the smallest cost, for tests only: the same algorithm and encoding as
production (hashes still start with argon2$argon2id$), a fraction of the time."""

from django.contrib.auth.hashers import Argon2PasswordHasher


class FastArgon2PasswordHasher(Argon2PasswordHasher):
    time_cost = 1
    memory_cost = 64
    parallelism = 1
