"""Leak-proof by construction: every URL pattern, walked with another agency's objects.

The URL patterns come from the resolver, not from a list: a view added later is
walked without editing this file, and a pattern with a parameter the walk does not
know how to fill fails the test (FILLERS), so nobody adds an unwalked view silently.

Agency B's petitions (in every state, with attachments, clocks and an extension)
and a petition waiting in the triage queue are the foreign objects. For each role:

- a handler and a supervisor of agency A, and an anonymous visitor, GET and POST
  every pattern filled with the foreign ids and codes, and once more with ids and
  codes that do not exist. The two answers must be the same (status, and page
  after following redirects, messages included, with the ids and codes themselves
  blanked): a refusal that tells B's case from nothing. Neither may show any of
  B's texts, names or contacts;
- an auditor POSTs every pattern: nothing may change.

Nothing of B's may change in any of it, and no request may fail with a server
error. The figures of the walk are printed (pytest -s) and written to
test-artifacts/leak-walk.txt.
"""

import itertools
import os
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlencode

import pytest
import time_machine
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction
from django.test import Client
from django.urls import URLResolver, get_resolver, resolve
from django.urls.exceptions import Resolver404
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.regex_helper import normalize

from feedback import services as citizen
from feedback.files import PDF, PNG
from feedback.models import Attachment
from feedback.views import CASE_ACTIONS
from tests import factories
from tests.support.signin import signed_in
from workflow import services
from workflow.access import Actor
from workflow.forms import ACTION_FORMS
from workflow.models import Clock, Extension, HistoryEntry, Petition, Role, State
from workflow.models.petitions import new_tracking_code
from workflow.privacy import requests as privacy_requests
from workflow.privacy.models import new_request_code

ARTIFACT = Path(__file__).resolve().parents[2] / "test-artifacts" / "leak-walk.txt"
NOW = datetime(2026, 12, 2, 3, 0, tzinfo=UTC)
UNKNOWN_ID = 987654321

# Namespaces left out, with the reason. The machine doors answer to API keys; what
# a key and an anonymous Open311 client may read is issue 9's items 3 and 5, tested
# in tests/integrations.
NOT_WALKED = {"integrations": "API keys and Open311 lists: tests/integrations"}


# --- the foreign world -------------------------------------------------------------


@dataclass
class World:
    foreign: list  # B's petitions and the triage queue's
    own: Petition  # one of A's, for mixed probes (A's code, B's attachment)
    own_handler: int  # the user id of one of A's handlers
    attachments: list
    clocks: list
    extension: Extension
    entries: list
    users_b: list
    unknown_code: str
    texts: list = field(default_factory=list)  # what of B's may never show
    data_requests: list = field(default_factory=list)  # codes of B's data requests

    def ids_of(self, model) -> list[int]:
        return {
            Petition: [p.pk for p in self.foreign],
            Attachment: [a.pk for a in self.attachments],
            Clock: self.clocks,
            Extension: [self.extension.pk],
            HistoryEntry: self.entries,
        }.get(model, [self.foreign[0].pk])

    def snapshot(self) -> str:
        """B's objects as they stand, in one query (the walk asks after each POST)."""
        with connection.cursor() as cursor:
            cursor.execute(
                """
                SELECT md5(concat_ws('|',
                  (SELECT string_agg(concat_ws(',', id, version, state, agency_id,
                                               handler_id, merged_into_id), ';'
                                     ORDER BY id)
                     FROM workflow_petition WHERE id = ANY(%(ids)s)),
                  (SELECT string_agg(concat_ws(',', id, status, days), ';' ORDER BY id)
                     FROM workflow_extension WHERE petition_id = ANY(%(ids)s)),
                  (SELECT count(*) FROM feedback_attachment
                    WHERE petition_id = ANY(%(ids)s)),
                  (SELECT count(*) FROM workflow_historyentry
                    WHERE petition_id = ANY(%(ids)s))))
                """,
                {"ids": [p.pk for p in self.foreign]},
            )
            return cursor.fetchone()[0]


def _pdf(name):
    return citizen.Upload(
        SimpleUploadedFile(name, b"%PDF-1.4\n%%EOF\n", "application/pdf"), PDF
    )


@pytest.fixture
def world(settings, tmp_path, land, agency_a, agency_b, handler_a, handler_b):
    settings.MEDIA_ROOT = tmp_path
    agency_b.requires_answer_review = True
    agency_b.save()
    factories.rule(agency_a, category=land)
    factories.rule(agency_b, category=land, province_code=factories.LANG_SON)
    supervisor_b = Actor.staff(
        factories.staff("supervisor_b", Role.SUPERVISOR, agency_b)
    )

    def file(n, **extra):
        return citizen.file_petition(
            client_ip=f"192.0.2.{n}",
            submitter_kind="citizen",
            submitter_name=f"Zyxwv Văn Bê {n}",
            email=f"zyxwv{n}@example.vn",
            phone=f"09123450{n:02d}",
            title=f"Tiêu đề zyxwv B{n}",
            content=f"Nội dung zyxwv B{n}",
            category=land.code,
            province=factories.LANG_SON,
            attachments=extra.pop("attachments", ()),
            **extra,
        ).petition

    def step(petition, *names):
        for name in names:
            petition = {
                "accept": lambda p: services.accept_petition(
                    petition_id=p.pk, actor=handler_b
                ),
                "ask": lambda p: services.request_information(
                    petition_id=p.pk, actor=handler_b, question="Câu hỏi zyxwv B?"
                ),
                "answer": lambda p: services.answer_petition(
                    petition_id=p.pk, actor=handler_b, text="Trả lời zyxwv B."
                ),
                "approve": lambda p: services.approve_answer(
                    petition_id=p.pk, actor=supervisor_b
                ),
                "close": lambda p: services.close_petition(
                    petition_id=p.pk, actor=supervisor_b
                ),
            }[name](petition)
        return petition

    with time_machine.travel(NOW, tick=False):
        with_files = file(1, attachments=(_pdf("hồ sơ zyxwv B1.pdf"),))
        citizen.store_attachments(
            with_files,
            [
                citizen.Upload(
                    SimpleUploadedFile("ảnh zyxwv B1.png", b"\x89PNG\r\n\x1a\n"), PNG
                )
            ],
            stage=Attachment.Stage.SUBMISSION,
            now=NOW,
        )
        extended = step(file(2), "accept")
        services.request_extension(
            petition_id=extended.pk, actor=handler_b, days=5, reason="Gia hạn zyxwv B"
        )
        foreign = [
            with_files,
            extended,
            step(file(3), "accept", "ask"),
            step(file(4), "accept", "answer"),  # answer_review at B
            step(file(5), "accept", "answer", "approve"),
            step(file(6), "accept", "answer", "approve", "close"),
        ]
        triage = services.submit_petition(
            channel="web",
            submitter_kind="citizen",
            submitter_name="Zyxwv Chờ Phân Loại",
            email="zyxwv-triage@example.vn",
            title="Tiêu đề zyxwv chờ phân loại",
            content="Nội dung zyxwv chờ phân loại",
            category=factories.category("roads").code,
            province=factories.LANG_SON,
        ).petition
        foreign.append(triage)
        # A data subject's request about one of B's petitions (workflow.privacy).
        data_request = privacy_requests.file_request(
            kind="see", petitions=[with_files], details="Xem dữ liệu zyxwv B"
        )
        own = services.submit_petition(
            channel="web",
            submitter_kind="citizen",
            submitter_name="Người Gửi A",
            email="a@example.vn",
            title="Tiêu đề của A",
            content="Nội dung của A",
            category=land.code,
            province=factories.THAI_NGUYEN,
        ).petition
    foreign = [Petition.objects.get(pk=p.pk) for p in foreign]
    assert {p.state for p in foreign} >= {
        State.RECEIVED,
        State.ASSIGNED,
        State.IN_PROGRESS,
        State.AWAITING_INFO,
        State.ANSWER_REVIEW,
        State.ANSWERED,
        State.CLOSED,
    }
    assert own.agency_id == agency_a.pk
    # Every text, name, contact and file name of B's carries this mark.
    texts = ["zyxwv", "0912345"]
    code = new_tracking_code()
    return World(
        foreign=foreign,
        own=own,
        own_handler=handler_a.user.pk,
        attachments=list(Attachment.objects.filter(petition__in=foreign)),
        clocks=list(
            Clock.objects.filter(petition__in=foreign).values_list("pk", flat=True)
        ),
        extension=Extension.objects.get(petition=extended),
        entries=list(
            HistoryEntry.objects.filter(petition__in=foreign).values_list(
                "pk", flat=True
            )[:3]
        ),
        users_b=[handler_b.user, supervisor_b.user],
        unknown_code=code,
        texts=texts,
        data_requests=[data_request.code],
    )


# --- the URL patterns and how to fill them ----------------------------------


@dataclass(frozen=True)
class Route:
    regex: str
    namespace: str
    name: str
    callback: object

    @property
    def label(self) -> str:
        return ":".join(x for x in (self.namespace, self.name) if x) or self.regex


def routes(patterns=None, prefix="", namespace=""):
    """Every URL pattern of the URLconf, with its full regex and namespace."""
    for pattern in get_resolver().url_patterns if patterns is None else patterns:
        regex = pattern.pattern.regex.pattern.lstrip("^")
        if isinstance(pattern, URLResolver):
            inner = ":".join(x for x in (namespace, pattern.namespace) if x)
            yield from routes(
                pattern.url_patterns,
                prefix + regex.removesuffix("\\Z").removesuffix("$"),
                inner,
            )
        else:
            yield Route(prefix + regex, namespace, pattern.name or "", pattern.callback)


@dataclass(frozen=True)
class Value:
    text: str
    unknown: str  # the same slot filled with something that does not exist
    is_foreign: bool = True


def plain(*texts):
    return [Value(t, t, is_foreign=False) for t in texts]


def _admin_model(route):
    """The model an admin pattern is about ("workflow_petition_change")."""
    from django.apps import apps

    for model in apps.get_models():
        if route.name.startswith(f"{model._meta.app_label}_{model._meta.model_name}_"):
            return model
    return None


def _ids(world, model, limit=None):
    ids = world.ids_of(model)[:limit]
    return [Value(str(i), str(UNKNOWN_ID)) for i in ids]


def _codes(world, route):
    values = [Value(p.tracking_code, world.unknown_code) for p in world.foreign]
    return values + plain(world.own.tracking_code)


# Parameter name → the values to try. A parameter missing here fails the walk.
FILLERS = {
    "tracking_code": _codes,
    "code": _codes,
    "pk": lambda world, route: _ids(world, Attachment),
    "action": lambda world, route: plain(*_actions(route), "nope"),
    "table": lambda world, route: plain("agency", "province", "trend", "nope"),
    # How an attachment is handed out (feedback.downloads).
    "how": lambda world, route: plain("download", "view", "thumbnail", "nope"),
    # Audit checkpoints belong to no agency (auditors read them): plain numbers.
    "number": lambda world, route: plain("1", "999999"),
    # The admin turns away every walking role at its door: one object per pattern.
    "object_id": lambda world, route: _ids(world, _admin_model(route), limit=1),
    "id": lambda world, route: [
        Value(str(u.pk), str(UNKNOWN_ID)) for u in world.users_b
    ],
    "content_type_id": lambda world, route: _content_types(),
    "app_label": lambda world, route: plain("workflow", "feedback", "auth", "axes"),
    # The admin's catch-all: paths no other admin pattern takes.
    "url": lambda world, route: [
        Value(f"nope/{p.pk}/", f"nope/{UNKNOWN_ID}/") for p in world.foreign[:1]
    ],
    "uidb64": lambda world, route: [
        Value(urlsafe_base64_encode(force_bytes(u.pk)), urlsafe_base64_encode(b"0"))
        for u in world.users_b
    ],
    # Data subjects' requests (workflow.privacy) and their export formats.
    "request_code": lambda world, route: [
        Value(c, new_request_code()) for c in world.data_requests
    ],
    "fmt": lambda world, route: plain("json", "html", "x"),
    # /stats/ is public: counts per agency or province, B's included, no texts.
    "dimension": lambda world, route: plain("agency", "province", "nope"),
    "key": lambda world, route: plain(
        str(world.foreign[0].agency_id), str(world.foreign[0].province_id), "999999"
    ),
    # A valid reset token is the e-mail's secret, not B's data: a made-up one.
    "token": lambda world, route: plain("set-password", "x-x"),
}


def _actions(route):
    """The actions of the view's own forms (staff or citizen), else all of them."""
    if route.namespace == "workflow":
        return list(ACTION_FORMS)
    if route.namespace == "feedback":
        return list(CASE_ACTIONS)
    return [*ACTION_FORMS, *CASE_ACTIONS]


def _content_types():
    from django.contrib.contenttypes.models import ContentType

    petition = ContentType.objects.get_for_model(Petition).pk
    return plain(str(petition))


def filled_urls(route, world):
    """(url, unknown twin, is_probe) for every fill of the route's parameters.

    A fill is a probe when at least one value is foreign (an id or code of B's); its
    twin puts values that do not exist in the same places. A route without foreign
    parameters is still a probe for its POST, whose form data carries B's ids.
    Fills that do not resolve back to the view (an action the slug rejects…) are
    dropped; a route no fill reaches fails.
    """
    format_string, params = normalize("^" + route.regex)[0]
    unknown = [p for p in params if p not in FILLERS]
    if unknown:
        pytest.fail(
            f"URL pattern {route.label} ({route.regex}) has parameters {unknown} "
            "the leak walk cannot fill: add them to FILLERS in this file"
        )
    choices = [FILLERS[p](world, route) for p in params]
    found = []
    for combo in itertools.product(*choices):
        values = dict(zip(params, combo, strict=True))
        url = "/" + format_string % {k: v.text for k, v in values.items()}
        twin = "/" + format_string % {k: v.unknown for k, v in values.items()}
        if _resolves_to(url, route):
            found.append((url, twin, any(v.is_foreign for v in combo)))
    if not found:
        pytest.fail(f"No fill of {route.label} ({route.regex}) reaches its view.")
    return found


def _resolves_to(url, route):
    try:
        match = resolve(url)
    except Resolver404:
        return False
    return match.func == route.callback or match.url_name == route.name


# --- what is sent, and how answers are compared ------------------------------


def post_data(world, url, foreign=True):
    """Every field any form takes, filled with B's objects (or unknown ones).

    The version is that of the petition in the URL where it is A's own, so that a
    form on A's case reaches its service (and meets B's code, handler, ids there).
    """
    petition = world.foreign[1]
    version = world.own.version if world.own.tracking_code in url else petition.version
    code = petition.tracking_code if foreign else world.unknown_code
    pid = str(petition.pk) if foreign else str(UNKNOWN_ID)
    values = {
        "version": str(version),
        "petitions": [
            f"{p.pk if foreign else UNKNOWN_ID + i}:{p.version}"
            for i, p in enumerate(world.foreign)
        ],
        # One of A's handlers: bulk assign must then tell B's ids from unknown ones.
        "handler": str(world.own_handler),
        "into": code,
        # Agencies are public (every transfer form lists them): the same in both.
        "agency": str(petition.agency_id),
        "tracking_code": code,
        "secret": "KHONGDUNG",
        "petition": pid,
        "extension": str(world.extension.pk) if foreign else str(UNKNOWN_ID),
        "reason": "walk",
        "question": "walk",
        "answer": "walk",
        "text": "walk",
        "note": "walk",
        "days": "5",
        "decision": "approve",
        "score": "5",
        "comment": "walk",
    }
    data = dict(values)
    # A case page's forms carry their action as a prefix ("merge-into").
    for action in ACTION_FORMS:
        if url.rstrip("/").endswith(f"/{action}"):
            data.update({f"{action}-{k}": v for k, v in values.items()})
    return data


# Fresh each time a form is drawn: the CSRF token and the petition form's one-time id.
CSRF = re.compile(r'name="(?:csrfmiddlewaretoken|form_token)" value="[^"]*"')
# Secrets made fresh by the request: recovery codes, a reissued tracking secret.
RECOVERY = re.compile(
    r"\b[A-Z0-9]{5}-[A-Z0-9]{5}\b"
    r'|(?<=id="secret" class="code">)\w+|(?<=name="secret" value=")\w+'
)
DIGITS = re.compile(r"\d+")


FORM = "application/x-www-form-urlencoded"
# Sign-in pages say the same to everyone: their address is compared, not their page.
SIGN_IN = ("/accounts/login/", "/admin/login/", "/accounts/two-factor/")


def answer(client, method, url, data):
    """Status and pages of one request, redirects within the site followed (the
    page after a redirect carries its messages, where bulk assign's oracle was)."""
    if data:
        # As a browser posts a form without files (and quicker than multipart).
        body = urlencode(data, doseq=True)
        response = client.post(url, body, content_type=FORM)
    else:
        response = getattr(client, method)(url)
    chain = [(response.status_code, _body(response))]
    hops = 0
    while response.status_code in (301, 302, 303) and hops < 3:
        location = response["Location"]
        if location.startswith(("http", *SIGN_IN)):
            chain.append((0, location))
            break
        response = client.get(location)
        chain.append((response.status_code, _body(response)))
        hops += 1
    return chain


def _body(response):
    if getattr(response, "streaming", False):
        return b"".join(response.streaming_content).decode("utf-8", "replace")
    return response.content.decode("utf-8", "replace")


def blanked(chain, codes):
    """The answer with what differs by construction blanked: the ids and codes sent,
    CSRF tokens, any number (ids in messages), freshly made recovery codes."""
    out = []
    for status, body in chain:
        for code in codes:
            body = body.replace(code, "<code>")
        body = CSRF.sub("csrf", body)
        body = RECOVERY.sub("<rc>", body)
        out.append((status, DIGITS.sub("#", body)))
    return out


def _first_difference(seen, told, codes) -> str:
    """The first line where the two answers part, with the next ones (one page)."""
    pairs = zip(blanked(seen, codes), blanked(told, codes), strict=False)
    for (_s1, a), (_s2, b) in pairs:
        lines_a, lines_b = a.splitlines(), b.splitlines()
        for index, (line_a, line_b) in enumerate(zip(lines_a, lines_b, strict=False)):
            if line_a != line_b:
                here = slice(index, index + 3)
                a_text, b_text = " ".join(lines_a[here]), " ".join(lines_b[here])
                return f"{a_text[:400]!r} ≠ {b_text[:400]!r}"
    return "different length"


def leaked_texts(chain, world):
    return sorted(
        {t for _s, body in chain for t in world.texts if t.lower() in body.lower()}
    )


# --- the walk ---------------------------------------------------------------------


@dataclass
class Figures:
    patterns: set = field(default_factory=set)
    requests: int = 0
    probes: int = 0
    by_role: dict = field(default_factory=dict)

    def count(self, role, route, n=1, probes=0):
        self.patterns.add(route.label)
        self.requests += n
        self.probes += probes
        self.by_role[role] = self.by_role.get(role, 0) + n


@pytest.fixture
def quiet_limits(settings):
    # The walk sends thousands of requests from one address: rate limits and the
    # login lockout (tested on their own) would answer some of them differently.
    settings.FEEDBACK_TRACK_LIMIT_PER_IP = 10**9
    settings.FEEDBACK_SUBMIT_LIMIT_PER_IP = 10**9
    settings.FEEDBACK_SUBMIT_LIMIT_PER_CONTACT = 10**9
    settings.AXES_ENABLED = False


def walked_routes():
    only = os.environ.get("LEAK_WALK_ONLY")  # a label, to look into one failure
    return [
        r
        for r in routes()
        if r.namespace.split(":")[0] not in NOT_WALKED and (not only or r.label == only)
    ]


def test_no_url_pattern_tells_another_agencys_case_from_nothing(
    world, handler_a, supervisor_a, auditor, quiet_limits
):
    walk = Walk(world)
    before = world.snapshot()
    with time_machine.travel(NOW, tick=False):
        for route in walked_routes():
            fills = filled_urls(route, world)
            walk.compare("handler of A", handler_a.user, route, fills)
            walk.compare("supervisor of A", supervisor_a.user, route, fills)
            walk.compare("anonymous", None, route, fills)
            walk.write_nothing("auditor", auditor.user, route, fills)
    report = _report(walk.figures, world)
    print("\n" + report)
    ARTIFACT.parent.mkdir(parents=True, exist_ok=True)
    ARTIFACT.write_text(report + "\n")
    assert walk.failures == [], "\n".join(walk.failures[:40])
    assert world.snapshot() == before


class Walk:
    def __init__(self, world):
        self.world = world
        self.figures = Figures()
        self.failures = []
        self.codes = [p.tracking_code for p in world.foreign] + [world.unknown_code]

    def compare(self, role, user, route, fills):
        """GET and POST each fill and its unknown twin: the same answer, nothing of
        B's shown, nothing of B's changed. A GET without foreign values has no twin.
        """
        client = Client()
        for url, twin, is_probe in fills:
            for method in ("get", "post"):
                data = post_data(self.world, url) if method == "post" else None
                compared = is_probe or data is not None
                try:
                    seen, wrote = probe(client, user, method, url, data, self.world)
                    told = seen
                    if compared:
                        twin_data = data and post_data(self.world, url, foreign=False)
                        told, _ = probe(
                            client, user, method, twin, twin_data, self.world
                        )
                except Exception as error:  # a server error is a failure too
                    self.failures.append(f"{role} {method} {url}: {error!r}")
                    continue
                self.figures.count(role, route, 1 + compared, probes=int(compared))
                where = f"{role} {method} {url}"
                if wrote:
                    self.failures.append(f"{where} changed B's data")
                if leaked := leaked_texts(seen, self.world):
                    self.failures.append(f"{where} shows {leaked}")
                if compared and blanked(seen, self.codes) != blanked(told, self.codes):
                    self.failures.append(
                        f"{where}: {[s for s, _ in seen]} but {[s for s, _ in told]} "
                        f"for {twin}; " + _first_difference(seen, told, self.codes)
                    )

    def write_nothing(self, role, user, route, fills):
        client = Client()
        for url, _twin, _is_probe in fills:
            data = post_data(self.world, url)
            try:
                _seen, wrote = probe(client, user, "post", url, data, self.world)
            except Exception as error:
                self.failures.append(f"{role} post {url}: {error!r}")
                continue
            if wrote:
                self.failures.append(f"{role} post {url} changed B's data")
            self.figures.count(role, route)


def probe(client, user, method, url, data, world):
    """One request (and its redirects) in a savepoint that is rolled back, so that
    every request meets the same database; whether it changed B's objects."""
    if user is not None:
        _keep_signed_in(client, user)
    # Messages left unread (a redirect to a page that 404s) live in a cookie that no
    # rollback takes back.
    client.cookies.pop("messages", None)
    with transaction.atomic():
        before = world.snapshot() if method == "post" else None
        chain = answer(client, method, url, data)
        wrote = method == "post" and world.snapshot() != before
        transaction.set_rollback(True)
    return chain, wrote


def _keep_signed_in(client, user):
    if client.session.get("_auth_user_id") != str(user.pk):
        signed_in(client, user)


def _report(figures, world):
    objects = (
        len(world.foreign),
        len(world.attachments),
        len(world.clocks),
        1,
        len(world.entries),
    )
    lines = [
        "Leak walk: "
        f"{len(figures.patterns)} URL patterns walked "
        f"(left out: {', '.join(f'{k} — {v}' for k, v in NOT_WALKED.items())}); "
        f"foreign objects: {objects[0]} petitions, {objects[1]} attachments, "
        f"{objects[2]} clocks, {objects[3]} extension, {objects[4]} history entries; "
        f"{figures.requests} requests, {figures.probes} probes compared with "
        "their unknown twin.",
        "Requests by role: "
        + ", ".join(f"{role} {n}" for role, n in figures.by_role.items()),
    ]
    return "\n".join(lines)


def test_the_walk_covers_every_pattern_it_does_not_leave_out():
    walked = walked_routes()
    all_routes = list(routes())
    # Only the namespaces named in NOT_WALKED are left out; everything else is in.
    assert len(walked) + sum(
        1 for r in all_routes if r.namespace.split(":")[0] in NOT_WALKED
    ) == len(all_routes)
    assert {r.label for r in walked} >= {
        "workflow:case",
        "workflow:act",
        "workflow:bulk_assign",
        "feedback:staff_attachment",
        "feedback:attachment",
        "admin:workflow_petition_change",
        "staff_login:verify",
    }


def test_a_pattern_with_a_parameter_nobody_fills_fails_the_walk(world):
    route = Route(r"work/mystery/(?P<riddle>\w+)/$", "workflow", "mystery", None)

    with pytest.raises(pytest.fail.Exception, match="riddle"):
        filled_urls(route, world)
