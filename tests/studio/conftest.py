import pytest


@pytest.fixture(autouse=True)
def _fast_passwords(settings):
    # PBKDF2 makes every persona cost ~100 ms; hashing strength is not what these tests check.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
