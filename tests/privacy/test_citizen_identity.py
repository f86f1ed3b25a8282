"""A citizen logged in with the national identity: a pseudonym, their petitions.

The login itself (OpenID Connect against a real provider) is tested in
test_national_id_login.py and tests/browser/; here the identity is made as the
login makes it, through citizen_for_login.
"""

import pytest
from django.utils import timezone

from feedback.identity import PREFILL_SESSION_KEY
from workflow.privacy import requests
from workflow.privacy.identity import citizen_for_login, identity_of, subject_pseudonym
from workflow.privacy.models import CitizenIdentity, DataRequest, PetitionOwner

ISSUER = "https://vneid.example.gov.vn"


@pytest.fixture
def citizen_user(db):
    return citizen_for_login(issuer=ISSUER, subject="079090001234", now=timezone.now())


@pytest.fixture
def logged_in(client, citizen_user):
    client.force_login(
        citizen_user, backend="feedback.identity.NationalIdentityBackend"
    )
    return client


def test_only_a_keyed_pseudonym_of_the_subject_is_stored(citizen_user, settings):
    identity = CitizenIdentity.objects.get()
    assert "079090001234" not in identity.subject
    assert "079090001234" not in citizen_user.username
    assert identity.subject == subject_pseudonym(ISSUER, "079090001234")
    # Another provider's subject of the same value is another person.
    assert (
        subject_pseudonym("https://other.example", "079090001234") != identity.subject
    )
    # Without the key the pseudonym cannot be recomputed.
    settings.NATIONAL_ID_SUBJECT_KEY = "another key"
    assert subject_pseudonym(ISSUER, "079090001234") != identity.subject
    assert (citizen_user.email, citizen_user.first_name) == ("", "")
    assert citizen_user.has_usable_password() is False


def test_a_second_login_is_the_same_citizen(citizen_user):
    again = citizen_for_login(issuer=ISSUER, subject="079090001234", now=timezone.now())
    assert again == citizen_user
    assert CitizenIdentity.objects.count() == 1


@pytest.mark.parametrize(
    "url",
    [
        "/work/",
        "/work/queue/",
        "/work/dashboard/",
        "/audit/",
        "/audit/reads/",
        "/work/privacy/",
    ],
)
def test_a_citizen_login_never_reaches_a_staff_page(logged_in, url):
    assert logged_in.get(url).status_code == 404


def test_a_citizen_login_does_not_open_the_admin(logged_in):
    response = logged_in.get("/admin/")
    assert response.status_code == 302 and "/admin/login/" in response.url


def test_a_citizen_login_opens_no_staff_case(logged_in, submit, routed_to_a):
    petition = submit()
    assert (
        logged_in.get(f"/work/petitions/{petition.tracking_code}/").status_code == 404
    )


def test_a_petition_filed_while_logged_in_is_in_my_petitions(
    logged_in, form_data, citizen_user
):
    assert logged_in.post("/", form_data).status_code == 200
    owner = PetitionOwner.objects.get()
    assert (owner.identity.user, owner.how) == (citizen_user, "filed")
    page = logged_in.get("/mine/").content.decode()
    assert owner.petition.tracking_code in page
    # The case opens without its code and secret: the identity proves it.
    assert logged_in.get(f"/track/{owner.petition.tracking_code}/").status_code == 200


def test_another_citizen_does_not_see_it(client, form_data, logged_in):
    logged_in.post("/", form_data)
    code = PetitionOwner.objects.get().petition.tracking_code
    other = citizen_for_login(issuer=ISSUER, subject="001", now=timezone.now())
    client.force_login(other, backend="feedback.identity.NationalIdentityBackend")
    assert client.get(f"/track/{code}/").status_code == 404
    assert code not in client.get("/mine/").content.decode()


def test_an_earlier_petition_is_attached_by_proving_its_code_and_secret(
    logged_in, file_with_secret
):
    petition, secret = file_with_secret()
    wrong = logged_in.post(
        "/mine/attach/", {"tracking_code": petition.tracking_code, "secret": "X"}
    )
    assert wrong.status_code == 400
    assert not PetitionOwner.objects.exists()
    right = logged_in.post(
        "/mine/attach/", {"tracking_code": petition.tracking_code, "secret": secret}
    )
    assert right.status_code == 302
    assert PetitionOwner.objects.get().how == "attached"
    assert petition.tracking_code in logged_in.get("/mine/").content.decode()


def test_a_petition_of_another_identity_cannot_be_attached(
    client, logged_in, file_with_secret
):
    petition, secret = file_with_secret()
    pair = {"tracking_code": petition.tracking_code, "secret": secret}
    logged_in.post("/mine/attach/", pair)
    other = citizen_for_login(issuer=ISSUER, subject="001", now=timezone.now())
    client.force_login(other, backend="feedback.identity.NationalIdentityBackend")
    response = client.post("/mine/attach/", pair)
    assert response.status_code == 400
    assert PetitionOwner.objects.get().identity.user != other


def test_my_data_requests_cover_every_petition_of_the_identity(
    logged_in, form_data, dpo, citizen_user
):
    logged_in.post("/", form_data)
    form_data["form_token"] = ""
    form_data["title"] = "Phản ánh thứ hai"
    logged_in.post("/", form_data)
    response = logged_in.post("/mine/data/", {"kind": "see"})
    assert response.status_code == 302
    item = DataRequest.objects.get()
    assert item.petitions.count() == 2
    assert item.identity == identity_of(citizen_user)
    requests.complete_request(request_id=item.pk, actor=dpo, outcome="Dữ liệu đây.")
    data = logged_in.get(f"/mine/data/{item.code}/export.json").json()
    assert data["identity"]["pseudonym"] == identity_of(citizen_user).subject
    assert len(data["petitions"]) == 2


def test_the_form_is_prefilled_from_the_claims_given_at_login(logged_in, land):
    session = logged_in.session
    session[PREFILL_SESSION_KEY] = {"name": "Nguyễn Văn An", "email": "an@example.vn"}
    session.save()
    page = logged_in.get("/").content.decode()
    assert 'value="Nguyễn Văn An"' in page and 'value="an@example.vn"' in page


def test_my_petitions_explains_the_login_to_a_visitor(client, settings, db):
    settings.OIDC_RP_CLIENT_ID = ""
    page = client.get("/mine/").content.decode()
    assert "/login/national-id/" not in page
    assert client.get("/login/national-id/").status_code == 404
    settings.OIDC_RP_CLIENT_ID = "pakn"
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = "https://id.example/auth"
    assert "/login/national-id/" in client.get("/mine/").content.decode()
