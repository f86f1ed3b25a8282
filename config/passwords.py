"""Password hashing: Argon2id at OWASP's parameters.

A staff login spent most of its time in PBKDF2 (Django's default, 1,000,000
iterations: about 0.24 s of CPU per password on this machine, twice that when the
two cores are busy; bench/login.py). Argon2id is memory-hard, so it resists GPU
guessing at a fraction of the CPU time; the parameters are the OWASP Password
Storage Cheat Sheet's first recommendation (19 MiB, 2 passes, 1 lane). Passwords
hashed with PBKDF2 still verify and are re-hashed with Argon2id at the next login
(Django upgrades a hash made by any hasher but the first).
"""

from django.contrib.auth.hashers import Argon2PasswordHasher


class Argon2idPasswordHasher(Argon2PasswordHasher):
    time_cost = 2
    memory_cost = 19 * 1024  # KiB
    parallelism = 1
