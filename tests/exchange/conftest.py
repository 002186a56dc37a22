"""Exchange tests log users in with force_login, so personas skip the (slow) password hashing."""

import pytest


@pytest.fixture
def make_user(db, django_user_model):
    def make(username: str, **extra):
        user = django_user_model(username=username, **extra)
        user.set_unusable_password()
        user.save()
        return user

    return make
