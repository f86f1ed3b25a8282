"""The cast: a citizen, handlers at agencies A and B, a supervisor, an auditor…"""

import pytest
from django.conf import settings
from django.utils import translation

from tests import factories
from workflow import services
from workflow.access import Actor
from workflow.models import Petition, Role


def pytest_sessionstart(session):
    """Start the embedded server (unless DATABASE_URL names one), and drop the
    test databases of killed runs there (each run makes its own,
    `test_pakn_<pid>`, and only a finished run drops it)."""
    from config.database import start_database, uses_embedded_server
    from tests.support.databases import drop_databases_of_dead_runs

    start_database()
    if uses_embedded_server():
        from django.conf import settings

        drop_databases_of_dead_runs(settings.DATABASES["default"])


@pytest.fixture(autouse=True)
def administrative_units(request):
    """Units come from a data migration; a transactional test's flush removes them.

    Only for tests that use the database: `_django_db_helper` is among the
    fixtures of every test asking for `db` or `transactional_db`, and the
    `django_db` marker asks for it itself. A test that only needs the test
    database to exist (`django_db_setup`, for a server started on it) does not
    get a transaction here: opened for it, that connection outlived the session
    and the test database could not be dropped at the end.
    """
    uses_database = "_django_db_helper" in request.fixturenames or (
        request.node.get_closest_marker("django_db") is not None
    )
    if not uses_database:
        return
    request.getfixturevalue("_django_db_helper")
    from workflow.areas.loading import load_units
    from workflow.areas.models import Commune, Province

    if not Province.objects.exists():
        load_units(Province, Commune)


@pytest.fixture(autouse=True)
def fresh_process_memory():
    """What a process remembers of the database (rate tallies, API keys found)
    follows data that each test resets."""
    from feedback.integrations.keys import forget_found_keys
    from feedback.ratelimit import tallies

    tallies.clear()
    forget_found_keys()


@pytest.fixture(autouse=True)
def language_of_record():
    """A test that leaves another language than Vietnamese active fails: a later
    test would otherwise render its documents in that language and pass or fail
    by the order of the tests. Use `translation.override()`, never `activate()`
    alone. The language is reset first, so that only the leaking test fails."""
    yield
    left = translation.get_language()
    translation.deactivate()
    assert left == settings.LANGUAGE_CODE, (
        f"the test left the language {left!r} active (use translation.override)"
    )


@pytest.fixture
def land(db):
    return factories.category("land")


@pytest.fixture
def agency_a(db):
    return factories.agency("so-tnmt-lang-son")


@pytest.fixture
def agency_b(db):
    return factories.agency("so-xd-lang-son")


@pytest.fixture
def handler_a(agency_a):
    return Actor.staff(factories.staff("handler_a", Role.HANDLER, agency_a))


@pytest.fixture
def handler_a2(agency_a):
    return Actor.staff(factories.staff("handler_a2", Role.HANDLER, agency_a))


@pytest.fixture
def handler_b(agency_b):
    return Actor.staff(factories.staff("handler_b", Role.HANDLER, agency_b))


@pytest.fixture
def supervisor_a(agency_a):
    return Actor.staff(factories.staff("supervisor_a", Role.SUPERVISOR, agency_a))


@pytest.fixture
def publish(db):
    """Publish an answered petition as a supervisor of its agency would
    (workflow.services.publication): `publish(petition, redactions=[...])`."""
    from django.contrib.auth import get_user_model

    def publish_it(petition, redactions=()):
        agency = Petition.objects.get(pk=petition.pk).agency
        username = f"publisher-{agency.pk}"
        user = get_user_model().objects.filter(username=username).first()
        user = user or factories.staff(username, Role.SUPERVISOR, agency)
        services.publish_answer(
            petition_id=petition.pk, actor=Actor.staff(user), redactions=redactions
        )
        petition.refresh_from_db()
        return petition

    return publish_it


@pytest.fixture
def coordinator(db):
    return Actor.staff(factories.staff("coordinator", Role.COORDINATOR))


@pytest.fixture
def auditor(db):
    return Actor.staff(factories.staff("auditor", Role.AUDITOR))


@pytest.fixture
def staff_client(client):
    """Sign a staff member in, both factors settled: `staff_client(handler_a)` or
    `staff_client(user)` returns the test client (tests.support.signin)."""
    from tests.support.signin import signed_in

    def sign_in(who):
        return signed_in(client, getattr(who, "user", who))

    return sign_in


@pytest.fixture
def citizen():
    return Actor.submitter()


@pytest.fixture
def submission(land):
    """Submit through the real intake service; returns the Submission (with secret)."""

    def submit(**overrides):
        fields = dict(
            channel="web",
            submitter_kind="citizen",
            submitter_name="Nguyễn Văn An",
            email="an@example.vn",
            title="Đường liên xã xuống cấp",
            content="Đề nghị sửa chữa đoạn đường liên xã.",
            category=land.code,
            province=factories.LANG_SON,
        )
        fields.update(overrides)
        return services.submit_petition(**fields)

    return submit


@pytest.fixture
def submit(submission):
    """Submit a petition through the real intake service (web channel by default)."""

    def submit(**overrides):
        return submission(**overrides).petition

    return submit


@pytest.fixture
def routed_to_a(agency_a, land):
    return factories.rule(agency_a, category=land)


@pytest.fixture
def reception(db):
    return Actor.staff(factories.staff("reception", Role.RECEPTION))


@pytest.fixture
def enter(land):
    """Staff intake through the real service: a letter with a postal address only,
    unless overridden. Returns the Submission (with its secret)."""

    def enter(actor, **overrides):
        fields = dict(
            channel="post",
            submitter_kind="citizen",
            submitter_name="Hoàng Thị Mai",
            postal_address="Thôn Bản Chắt, xã Tân Văn, tỉnh Lạng Sơn",
            title="Đề nghị sửa cầu treo",
            content="Cầu treo qua suối bị gãy ván, học sinh đi lại nguy hiểm.",
            category=land.code,
            province=factories.LANG_SON,
        )
        fields.update(overrides)
        return services.receive_petition(actor=actor, **fields)

    return enter


@pytest.fixture
def checkpoint_key(settings, tmp_path):
    """A checkpoint signing key of the test's own, in a file (the production way)."""
    from cryptography.hazmat.primitives import serialization
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey

    key = Ed25519PrivateKey.generate()
    path = tmp_path / "checkpoint-key.pem"
    path.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    settings.AUDIT_CHECKPOINT_KEY_FILE = str(path)
    settings.AUDIT_CHECKPOINT_KEY = ""
    return key
