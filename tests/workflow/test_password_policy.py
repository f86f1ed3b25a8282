"""Staff passwords: 12 characters or more, plus Django's validators."""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError


@pytest.fixture
def clerk(db):
    return get_user_model()(username="nguyenvanan", email="an@ubnd.gov.vn")


@pytest.mark.parametrize(
    "password, why",
    [
        ("Tr4n-Phu-11", "password_too_short"),
        ("839201746512", "password_entirely_numeric"),
        ("password1234", "password_too_common"),
        ("nguyenvanan1", "password_too_similar"),
    ],
)
def test_weak_staff_passwords_are_refused(clerk, password, why):
    with pytest.raises(ValidationError) as refused:
        validate_password(password, clerk)
    assert why in [error.code for error in refused.value.error_list]


def test_a_long_passphrase_is_accepted(clerk):
    assert validate_password("ngõ-34-Trần-Phú-mùa-thu", clerk) is None


def test_the_admin_refuses_a_short_password_for_a_new_login(staff_client, db):
    admin = get_user_model().objects.create_superuser("root", "root@x.vn", "pw")
    response = staff_client(admin).post(
        "/admin/auth/user/add/",
        {
            "username": "handler9",
            "password1": "Short-pw-1",
            "password2": "Short-pw-1",
            "usable_password": "true",
        },
    )

    assert response.status_code == 200
    # "… phải chứa ít nhất 12 ký tự": the admin's form applies the same policy.
    assert "12" in response.context["adminform"].form.errors["password2"][0]
    assert not get_user_model().objects.filter(username="handler9").exists()


def test_production_hashes_with_argon2id_and_upgrades_an_old_pbkdf2_hash(
    settings, django_user_model
):
    from django.contrib.auth import authenticate
    from django.contrib.auth.hashers import make_password
    from django.test import RequestFactory

    from config import settings as production

    # The test settings use a fast hasher; here the production list applies.
    settings.PASSWORD_HASHERS = production.PASSWORD_HASHERS
    old = make_password(
        "ngõ-34-Trần-Phú-mùa-thu",
        hasher="pbkdf2_sha256",
    )
    user = django_user_model.objects.create(username="clerk", password=old)
    request = RequestFactory().post("/accounts/login/")
    assert authenticate(request, username="clerk", password="ngõ-34-Trần-Phú-mùa-thu")
    user.refresh_from_db()
    # The old hash verified and was replaced by Argon2id at OWASP's parameters.
    assert user.password.startswith("argon2$argon2id$v=19$m=19456,t=2,p=1$")
