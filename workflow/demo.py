"""Demo reference data and a few hundred petitions in every state (manage.py seed_demo).

Petitions are created through the real services, with the clock moved back so that
the demo has history spread over the past months, and tell the seed article's
story: nearly every agency on time, one province lagging.
"""

import base64
import heapq
import itertools
import random
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Min
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow import services, sweeps
from workflow.access import Actor
from workflow.areas.models import Commune, Province
from workflow.models import (
    Agency,
    Category,
    Clock,
    Membership,
    Petition,
    Role,
    RoutingRule,
    SlaTarget,
    State,
)
from workflow.models.petitions import STAFF_CHANNELS
from workflow.staff_login.devices import TOTP_NAME
from workflow.staff_login.policy import second_factor

DEMO_PASSWORD = "demo-pakn-2026"
# Every demo login that must sign in with two factors shares this authenticator key
# (README "Demo logins"; `manage.py demo_totp` prints its current code while DEBUG
# is on). Base32, as authenticator apps take it.
DEMO_TOTP_SECRET = "OBQWW3RNMRSW23ZNORXXI4BNGIYDENRB"
# The seed article's six provinces, under their names since 1 July 2025: Bắc Kạn
# merged into Thái Nguyên and Hà Giang into Tuyên Quang.
PROVINCES = {
    "thai_nguyen": ("Thái Nguyên", "thai-nguyen"),
    "cao_bang": ("Cao Bằng", "cao-bang"),
    "lang_son": ("Lạng Sơn", "lang-son"),
    "tuyen_quang": ("Tuyên Quang", "tuyen-quang"),
}
# Landline area codes, for the agencies' published hotlines.
AREA_CODES = {
    "thai-nguyen": "0208",
    "cao-bang": "0206",
    "lang-son": "0205",
    "tuyen-quang": "0207",
}
DEPARTMENTS = [
    ("so-nnmt", "Sở Nông nghiệp và Môi trường", "dat-dai-moi-truong"),
    ("so-xd", "Sở Xây dựng", "xay-dung-giao-thong"),
    ("so-yt", "Sở Y tế", "y-te"),
    ("so-tc", "Sở Tài chính", "thue-doanh-nghiep"),
]
CATEGORIES = [
    # code, name, English name, answer target (amount, unit)
    ("dat-dai-moi-truong", "Đất đai, môi trường", "Land and environment", 20, "days"),
    (
        "xay-dung-giao-thong",
        "Xây dựng, giao thông",
        "Construction and transport",
        20,
        "days",
    ),
    ("y-te", "Y tế, bảo hiểm", "Health and insurance", 15, "working_days"),
    ("thue-doanh-nghiep", "Thuế, doanh nghiệp", "Tax and business", 10, "working_days"),
    (
        "thu-tuc-hanh-chinh",
        "Quy định, thủ tục hành chính",
        "Administrative procedures",
        20,
        "days",
    ),
]
TITLES = [
    "Thủ tục cấp giấy chứng nhận quyền sử dụng đất kéo dài",
    "Đề nghị công khai quy hoạch khu dân cư",
    "Đường liên xã xuống cấp nghiêm trọng",
    "Phản ánh thu phí không đúng quy định",
    "Kiến nghị đơn giản hóa hồ sơ đăng ký kinh doanh",
    "Trạm y tế xã thiếu thuốc thiết yếu",
    "Ô nhiễm từ cơ sở chăn nuôi gần khu dân cư",
    "Chậm chi trả bảo hiểm xã hội một lần",
    "Đề nghị hướng dẫn nộp hồ sơ trực tuyến mức độ toàn trình",
    "Cấp phép xây dựng nhà ở riêng lẻ quá hạn",
]
NAMES = [
    "Nguyễn Văn An",
    "Trần Thị Bình",
    "Lê Văn Cường",
    "Phạm Thị Dung",
    "Hoàng Văn Em",
    "Vũ Thị Giang",
    "Đặng Văn Hùng",
    "Bùi Thị Lan",
    "Đỗ Văn Minh",
    "Ngô Thị Nga",
]


def is_seeded() -> bool:
    return Agency.objects.filter(code="vpcp").exists()


@transaction.atomic
def seed_reference_data():
    """Agencies, categories with targets, routing rules and one login per role."""
    User = get_user_model()
    for code, name, name_en, answer, unit in CATEGORIES:
        category = Category.objects.create(code=code, name=name, name_en=name_en)
        SlaTarget.objects.bulk_create(
            [
                SlaTarget(
                    category=category, clock="triage", amount=5, unit="working_days"
                ),
                SlaTarget(
                    category=category, clock="accept", amount=2, unit="working_days"
                ),
                SlaTarget(category=category, clock="answer", amount=answer, unit=unit),
                SlaTarget(
                    category=category,
                    priority="urgent",
                    clock="answer",
                    amount=max(answer // 2, 3),
                    unit=unit,
                ),
            ]
        )
    vpcp = Agency.objects.create(
        code="vpcp", name="Văn phòng Chính phủ", level="central"
    )
    for codename, (label, slug) in PROVINCES.items():
        province = Province.objects.current().get(codename=codename)
        ubnd = Agency.objects.create(
            code=f"ubnd-{slug}",
            name=f"UBND tỉnh {label}",
            level="province",
            parent=vpcp,
            province=province,
            email=f"ubnd@{slug}.gov.example",
            phone=f"{AREA_CODES[slug]} 3852 000",
        )
        for number, (dept_code, dept_name, category_code) in enumerate(DEPARTMENTS):
            dept = Agency.objects.create(
                code=f"{dept_code}-{slug}",
                name=f"{dept_name} tỉnh {label}",
                level="province",
                parent=ubnd,
                province=province,
                requires_answer_review=dept_code == "so-tc" or slug == "lang-son",
                email=f"{dept_code}@{slug}.gov.example",
                phone=f"{AREA_CODES[slug]} 3852 {number + 1:03d}",
            )
            RoutingRule.objects.create(
                category=Category.objects.get(code=category_code),
                province=province,
                agency=dept,
            )
        for commune in (
            Commune.objects.current().filter(province=province).order_by("code")[:2]
        ):
            Agency.objects.create(
                code=f"ubnd-{slug}-{commune.code}",
                name=f"UBND {commune.name}",
                level="commune",
                parent=ubnd,
                province=province,
                commune=commune,
            )

    def login(username, first, last, role, agency=None, **extra):
        user = User.objects.create_user(
            username=username,
            password=DEMO_PASSWORD,
            email=f"{username}@pakn.example",
            first_name=first,
            last_name=last,
            **extra,
        )
        if role:
            Membership.objects.create(user=user, role=role, agency=agency)
        return user

    lang_son_land = Agency.objects.get(code="so-nnmt-lang-son")
    # Logins are created first, their authenticator paired once they all exist.
    login("admin", "Quản trị", "", None, is_staff=True, is_superuser=True)
    login("coordinator", "Điều phối", "Viên", Role.COORDINATOR)
    login("handler", "Nguyễn", "Cán Bộ", Role.HANDLER, lang_son_land)
    login("handler2", "Trần", "Xử Lý", Role.HANDLER, lang_son_land)
    login("supervisor", "Lê", "Lãnh Đạo", Role.SUPERVISOR, lang_son_land)
    login("auditor", "Phạm", "Thanh Tra", Role.AUDITOR)
    login("reception", "Vũ", "Tiếp Nhận", Role.RECEPTION)
    Membership.objects.filter(user__username="supervisor").update(title="Phó Giám đốc")
    Agency.objects.filter(pk=lang_son_land.pk).update(document_symbol="SNNMT-VP")
    login("dpo", "Hoàng", "Bảo Vệ Dữ Liệu", Role.DPO)
    for dept in Agency.objects.filter(level="province").exclude(pk=lang_son_land.pk):
        # Departments and provincial committees each get a handler and a supervisor.
        login(f"h-{dept.code}", "Cán bộ", dept.code, Role.HANDLER, dept)
        login(f"s-{dept.code}", "Lãnh đạo", dept.code, Role.SUPERVISOR, dept)
    pair_demo_authenticators()


def demo_totp_key() -> str:
    """The demo authenticator key as django-otp stores it (hex)."""
    return base64.b32decode(DEMO_TOTP_SECRET).hex()


def pair_demo_authenticators():
    """Give each demo login that must use a second factor the demo key."""
    for user in get_user_model().objects.all():
        facts = second_factor(user.pk)
        if facts.is_required and not facts.has_device:
            TOTPDevice.objects.create(
                user=user, name=TOTP_NAME, key=demo_totp_key(), confirmed=True
            )


def communes_by_province(per_province=40) -> dict:
    """The demo provinces' codes, each with the codes of some of its communes."""
    return {
        p.code: list(
            Commune.objects.current()
            .filter(province=p)
            .values_list("code", flat=True)[:per_province]
        )
        for p in Province.objects.current().filter(codename__in=PROVINCES)
    }


# The seed's story: most agencies answer about 99 % of petitions on time, while one
# province lags (the inspection found Hà Giang, now part of Tuyên Quang, 7.76 %
# late). Shares of petitions whose answer goes out after the deadline:
LATE_SHARE = {"tuyen_quang": 0.085}
USUAL_LATE_SHARE = 0.01
DEMO_DAYS = 120


def seed_petitions(count=300, seed=2026):
    """`count` petitions received over the past 120 days, each living out a story.

    Every step goes through the real services, all petitions' steps in the order
    of time, and the SLA sweep runs at each deadline as the every-minute schedule
    would: breaches are recorded when they happen, by the agency holding the
    petition then. The mix: answered and closed, rejected, withdrawn, merged,
    transferred, paused for the submitter (a few never reply), extended, a few
    reopened, slow to be triaged or accepted (step breaches), still open.
    """
    rng = random.Random(seed)
    now = timezone.now()
    cast = _Cast()
    start = now - timedelta(days=DEMO_DAYS)
    stories = []
    for index in range(count):
        at = start + timedelta(minutes=rng.randrange(0, (DEMO_DAYS - 2) * 24 * 60))
        stories.append(_story(index, at, random.Random(rng.random()), cast))
    _replay(stories, now)


def _replay(stories, now):
    """Run every story's steps in the order of time, sweeping at each deadline."""
    queue, order = [], itertools.count()
    for story in stories:
        moment, step, kwargs = next(story)
        heapq.heappush(queue, (moment, next(order), story, step, kwargs))
    while queue:
        moment, _n, story, step, kwargs = heapq.heappop(queue)
        if moment >= now:
            continue  # the rest of this story is still to come
        sweep_until(moment)
        with time_machine.travel(moment, tick=False):
            result = step(**kwargs)
        try:
            later, step, kwargs = story.send(result)
        except StopIteration:
            continue
        heapq.heappush(queue, (max(later, moment), next(order), story, step, kwargs))
    sweep_until(now)
    sweeps.sweep(now=now)


def sweep_until(moment):
    """The sweeps the every-minute schedule would have run up to `moment`: one at
    each deadline, so that every breach is recorded at the minute it happens."""
    while True:
        due = Clock.objects.filter(
            stopped_at__isnull=True, breached_at__isnull=True, is_paused=False
        ).aggregate(first=Min("due_at"))["first"]
        if due is None or due > moment:
            return
        with time_machine.travel(due, tick=False):
            sweeps.sweep(now=due)


# Most petitions come online; the rest through the counter, the hotline and the post.
CHANNELS = ["web", "portal", "portal", "open311", "web", "portal", "counter"]
CHANNELS += ["phone", "post"]


def _enter(reception, channel, fields, rng, at):
    """A petition entered by the reception desk; a letter is dated from its arrival
    (a working day or two earlier) and answered by post."""
    received_at = None
    if channel == "post":
        fields = {**fields, "email": "", "phone": ""}
        fields["postal_address"] = f"Số {rng.randrange(1, 200)}, thôn Nà Pàn"
        received_at = at - timedelta(hours=rng.choice([2, 20, 26]))
    elif channel == "phone":
        fields = {**fields, "email": "", "phone": f"09{rng.randrange(10**7, 10**8)}"}
    fields.pop("channel_ref")
    return services.receive_petition(
        actor=reception, channel=channel, received_at=received_at, **fields
    )


class _Cast:
    """Who acts in the demo: the triage desk, the citizen, each agency's staff."""

    def __init__(self):
        User = get_user_model()
        self.coordinator = Actor.staff(User.objects.get(username="coordinator"))
        self.reception = Actor.staff(User.objects.get(username="reception"))
        self.citizen = Actor.submitter()
        self.system = Actor.system()
        self.categories = list(Category.objects.values_list("code", flat=True))
        self.communes = communes_by_province()
        self.codenames = dict(
            Province.objects.current()
            .filter(codename__in=PROVINCES)
            .values_list("code", "codename")
        )
        self.committees = {
            a.province_id: a
            for a in Agency.objects.filter(level="province", parent__code="vpcp")
        }
        self.departments = {}
        for agency in Agency.objects.filter(level="province", parent__level="province"):
            self.departments.setdefault(agency.province_id, []).append(agency)
        self.staff = {}
        for m in Membership.objects.select_related("user").order_by("pk"):
            self.staff.setdefault((m.agency_id, m.role), Actor.staff(m.user))

    def handler(self, agency_id):
        return self.staff.get((agency_id, Role.HANDLER))

    def supervisor(self, agency_id):
        return self.staff.get((agency_id, Role.SUPERVISOR))


def _hours(rng, low, high):
    return timedelta(hours=rng.uniform(low, high))


def _story(index, at, rng, cast):
    """One petition's life, step by step: yields (moment, service, arguments) and is
    sent each step's result. Decisions read the petition as the steps left it."""
    province = rng.choice(list(cast.communes))
    business = rng.random() < 0.25
    channel = rng.choice(CHANNELS)
    fields = {
        "channel_ref": f"DEMO-{index:05d}",
        "submitter_kind": "business" if business else "citizen",
        "submitter_name": ("Công ty TNHH " if business else "") + rng.choice(NAMES),
        "tax_code": f"{rng.randrange(10**9, 10**10):010d}" if business else "",
        "email": f"nguoidan{index}@example.vn",
        "phone": f"09{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else "",
        "title": rng.choice(TITLES),
        "content": "Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết. " * 3,
        "category": rng.choice(cast.categories),
        "province": province,
        "commune": rng.choice(cast.communes[province]),
        "publish_consent": rng.random() < 0.6,
    }
    if channel in STAFF_CHANNELS:
        submission = yield (
            at,
            _enter,
            {
                "reception": cast.reception,
                "channel": channel,
                "fields": fields,
                "rng": rng,
                "at": at,
            },
        )
    else:
        submission = yield at, services.submit_petition, {"channel": channel, **fields}
    petition = submission.petition
    pk, moment = petition.pk, at
    late_share = LATE_SHARE.get(cast.codenames[province], USUAL_LATE_SHARE)

    def step(after, service, **kwargs):
        return moment + after, service, {"petition_id": pk, **kwargs}

    fate = rng.random()
    if fate < 0.02:
        yield step(_hours(rng, 1, 200), services.withdraw_petition, actor=cast.citizen)
        return
    if petition.agency_id is None:  # no routing rule: the triage desk decides
        if fate < 0.10:
            yield step(
                _hours(rng, 2, 60),
                services.reject_petition,
                actor=cast.coordinator,
                reason="Nội dung là khiếu nại, không thuộc phạm vi phản ánh, kiến nghị",
                redirect_hint="Gửi đơn khiếu nại theo Luật Khiếu nại 2011",
            )
            return
        # Now and then the desk is slow: past its 5 working days (a step breach).
        wait = _hours(rng, 170, 260) if rng.random() < 0.08 else _hours(rng, 2, 40)
        committee = cast.committees[petition.province_id]
        petition = yield step(
            wait,
            services.triage_petition,
            actor=cast.coordinator,
            agency_id=committee.pk,
        )
        moment += wait
    agency_id = petition.agency_id
    handler, supervisor = cast.handler(agency_id), cast.supervisor(agency_id)
    if fate < 0.07 and supervisor:
        yield step(
            _hours(rng, 4, 40),
            services.reject_petition,
            actor=supervisor,
            reason="Trùng với phản ánh đã được trả lời",
            redirect_hint="",
        )
        return
    # Accepted within hours, now and then after the 2 working days (a step breach).
    wait = _hours(rng, 75, 130) if rng.random() < 0.05 else _hours(rng, 1, 30)
    yield step(wait, services.accept_petition, actor=handler)
    moment += wait
    # Passed on: a provincial committee to its department, or a department that
    # finds itself not competent to another one.
    departments = cast.departments[petition.province_id]
    moves = agency_id == cast.committees[petition.province_id].pk
    if moves or rng.random() < 0.05:
        target = rng.choice([d for d in departments if d.pk != agency_id])
        wait = _hours(rng, 2, 48)
        yield step(
            wait,
            services.transfer_petition,
            actor=handler,
            agency_id=target.pk,
            reason="Nội dung thuộc thẩm quyền giải quyết của " + target.name,
        )
        moment += wait
        agency_id = target.pk
        handler, supervisor = cast.handler(agency_id), cast.supervisor(agency_id)
        wait = _hours(rng, 1, 30)
        yield step(wait, services.accept_petition, actor=handler)
        moment += wait
    if fate < 0.09:
        others = Petition.objects.filter(agency_id=agency_id, state=State.IN_PROGRESS)
        other = others.exclude(pk=pk).order_by("-pk").first()
        if other is not None:
            yield step(
                _hours(rng, 2, 24),
                services.merge_petition,
                actor=handler,
                into_tracking_code=other.tracking_code,
                reason="Cùng nội dung, cùng vị trí",
            )
            return
    if rng.random() < 0.12:
        wait = _hours(rng, 12, 72)
        yield step(
            wait,
            services.request_information,
            actor=handler,
            question="Đề nghị cung cấp thêm số hồ sơ và ảnh hiện trạng.",
        )
        moment += wait
        if rng.random() < 0.12:  # never replies: closed when the reply is due
            reply_due = Petition.objects.get(pk=pk).info_due_at
            yield (
                reply_due + timedelta(minutes=5),
                services.expire_petition,
                {
                    "petition_id": pk,
                    "actor": cast.system,
                },
            )
            return
        wait = _hours(rng, 12, 150)
        yield step(
            wait,
            services.provide_information,
            actor=cast.citizen,
            text="Số hồ sơ 000.00.12.H49-260101-0001, ảnh đính kèm.",
        )
        moment += wait
    for cycle in (1, 2):
        moment = yield from _answer(rng, cast, pk, moment, late_share, handler, cycle)
        if moment is None or rng.random() > 0.04 or cycle == 2:
            break
        wait = _hours(rng, 24, 240)
        yield (
            moment + wait,
            services.reopen_petition,
            {
                "petition_id": pk,
                "actor": cast.citizen,
                "reason": "Câu trả lời chưa giải quyết được vấn đề.",
            },
        )
        moment += wait
    if moment is not None and rng.random() < 0.5:
        yield (
            moment + _hours(rng, 24, 200),
            services.close_petition,
            {
                "petition_id": pk,
                "actor": cast.citizen,
            },
        )


def _answer(rng, cast, pk, moment, late_share, handler, cycle):
    """Answer the cycle on time, or late with the province's share; in the first
    cycle sometimes ask for an extension first. Returns when the answer went out."""
    petition = Petition.objects.select_related("agency").get(pk=pk)
    due = petition.due_at
    supervisor = cast.supervisor(petition.agency_id)
    late = rng.random() < late_share
    if (
        cycle == 1
        and not late
        and supervisor
        and rng.random() < 0.05
        and due - moment > timedelta(days=3)
    ):
        # More time asked and granted: answered after the first deadline, on time.
        asked = moment + (due - moment) * rng.uniform(0.4, 0.7)
        yield (
            asked,
            services.request_extension,
            {
                "petition_id": pk,
                "actor": handler,
                "days": 5,
                "reason": "Cần phối hợp với đơn vị liên quan để xác minh.",
            },
        )
        yield (
            asked + _hours(rng, 2, 20),
            services.decide_extension,
            {
                "petition_id": pk,
                "actor": supervisor,
                "approve": True,
            },
        )
        due = Petition.objects.get(pk=pk).due_at
        out = due - _hours(rng, 20, 60)
    elif late:
        out = due + _hours(rng, 20, 200)
    else:
        out = moment + (due - moment) * rng.uniform(0.15, 0.85)
    reviewed = petition.agency.requires_answer_review and supervisor is not None
    answer_at = out - _hours(rng, 2, 20) if reviewed else out
    result = yield (
        max(answer_at, moment),
        services.answer_petition,
        {
            "petition_id": pk,
            "actor": handler,
            "text": "Cơ quan đã xem xét và trả lời như sau: ...",
        },
    )
    if result.state == State.ANSWER_REVIEW:
        yield out, services.approve_answer, {"petition_id": pk, "actor": supervisor}
    # Most consented answers are published by the morning after; one in seven
    # waits in the supervisor's review list (/work/publication/). Chosen by id,
    # not by `rng`, so that the rest of the story keeps its draws.
    if petition.publish_consent and supervisor and pk % 7:
        yield (
            out + timedelta(hours=4),
            services.publish_answer,
            {"petition_id": pk, "actor": supervisor},
        )
    return out
