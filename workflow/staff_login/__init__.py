"""Staff sign-in beyond the password: the second factor (TOTP, recovery codes).

The password step is Django's login page, guarded by django-axes (lockout). A
session that signed in with a password but owes its second factor reaches only
the pages of this package (middleware.py) until it is settled.
"""
