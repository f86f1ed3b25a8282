"""Demo reference data and a few hundred petitions in every state (manage.py seed_demo).

Petitions are created through the real services, with the clock moved back so that
the demo has history spread over the past months.
"""

import base64
import random
from datetime import timedelta

import time_machine
from django.contrib.auth import get_user_model
from django.db import transaction
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from workflow import services, sweeps
from workflow.access import Actor
from workflow.areas.models import Commune, Province
from workflow.models import Agency, Category, Membership, Role, RoutingRule, SlaTarget
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


def seed_petitions(count=300, seed=2026):
    """`count` petitions received over the past 120 days, walked into every state."""
    rng = random.Random(seed)
    categories = list(Category.objects.values_list("code", flat=True))
    provinces = communes_by_province()
    coordinator = Actor.staff(get_user_model().objects.get(username="coordinator"))
    reception = Actor.staff(get_user_model().objects.get(username="reception"))
    citizen = Actor.submitter()
    start = timezone.now() - timedelta(days=120)
    for i in range(count):
        province = rng.choice(list(provinces))
        at = start + timedelta(minutes=rng.randrange(0, 118 * 24 * 60))
        with time_machine.travel(at, tick=False):
            business = rng.random() < 0.25
            channel = rng.choice(CHANNELS)
            fields = dict(
                channel_ref=f"DEMO-{i:05d}",
                submitter_kind="business" if business else "citizen",
                submitter_name=("Công ty TNHH " if business else "")
                + rng.choice(NAMES),
                tax_code=f"{rng.randrange(10**9, 10**10):010d}" if business else "",
                email=f"nguoidan{i}@example.vn",
                phone=f"09{rng.randrange(10**7, 10**8)}" if rng.random() < 0.5 else "",
                title=rng.choice(TITLES),
                content="Kính đề nghị cơ quan có thẩm quyền xem xét, giải quyết. " * 3,
                category=rng.choice(categories),
                province=province,
                commune=rng.choice(provinces[province]),
                publish_consent=rng.random() < 0.6,
            )
            if channel in STAFF_CHANNELS:
                petition = _enter(reception, channel, fields, rng, at).petition
            else:
                petition = services.submit_petition(channel=channel, **fields).petition
        _walk(petition, rng, at, coordinator, citizen)
    # What the every-minute sweep would have recorded over those months.
    sweeps.sweep(now=timezone.now())


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


PLANS = {
    # final state of a demo petition: weight
    "received": 10,
    "rejected": 10,
    "withdrawn": 3,
    "merged": 3,
    "assigned": 8,
    "in_progress": 14,
    "awaiting_info": 6,
    "expired": 2,
    "answer_review": 4,
    "answered": 22,
    "closed": 20,
    "reopened": 4,
}


def _walk(petition, rng, at, coordinator, citizen):
    """Move a fresh petition along a plausible path towards a randomly chosen state."""
    plan = rng.choices(list(PLANS), weights=list(PLANS.values()))[0]

    def step(hours, fn, **kwargs):
        nonlocal at
        at = at + timedelta(hours=hours)
        if at >= timezone.now():
            return False
        with time_machine.travel(at, tick=False):
            fn(petition_id=petition.pk, **kwargs)
        return True

    petition.refresh_from_db()
    if plan == "withdrawn":
        step(rng.randrange(1, 30), services.withdraw_petition, actor=citizen)
        return
    if petition.agency is None:
        if plan == "received":
            return
        if plan == "rejected":
            step(
                rng.randrange(2, 60),
                services.reject_petition,
                actor=coordinator,
                reason="Nội dung là khiếu nại, không thuộc phạm vi phản ánh, kiến nghị",
                redirect_hint="Gửi đơn khiếu nại theo Luật Khiếu nại 2011",
            )
            return
        ubnd = Agency.objects.get(
            level="province", parent__code="vpcp", province=petition.province
        )
        if not step(
            rng.randrange(2, 90),
            services.triage_petition,
            actor=coordinator,
            agency_id=ubnd.pk,
        ):
            return
        petition.refresh_from_db()
    handler = _member(petition.agency, Role.HANDLER)
    supervisor = _member(petition.agency, Role.SUPERVISOR)
    if plan == "rejected" and supervisor:
        step(
            rng.randrange(4, 40),
            services.reject_petition,
            actor=supervisor,
            reason="Trùng với phản ánh đã được trả lời",
            redirect_hint="",
        )
        return
    if plan in ("received", "assigned") or handler is None:
        return
    if plan == "merged":
        other = (
            type(petition)
            .objects.filter(agency=petition.agency, state="in_progress")
            .exclude(pk=petition.pk)
            .first()
        )
        if other:
            step(
                rng.randrange(4, 40),
                services.merge_petition,
                actor=handler,
                into_tracking_code=other.tracking_code,
                reason="Cùng nội dung, cùng vị trí",
            )
        return
    if not step(rng.randrange(4, 80), services.accept_petition, actor=handler):
        return
    if plan in ("awaiting_info", "expired") or rng.random() < 0.15:
        if not step(
            rng.randrange(24, 120),
            services.request_information,
            actor=handler,
            question="Đề nghị cung cấp thêm số hồ sơ và ảnh hiện trạng.",
        ):
            return
        if plan == "awaiting_info":
            return
        if plan == "expired":
            if supervisor:
                step(
                    rng.randrange(200, 400), services.expire_petition, actor=supervisor
                )
            return
        if not step(
            rng.randrange(24, 200),
            services.provide_information,
            actor=citizen,
            text="Số hồ sơ 000.00.12.H49-260101-0001, ảnh đính kèm.",
        ):
            return
    if plan == "in_progress":
        return
    if not step(
        rng.randrange(48, 600),
        services.answer_petition,
        actor=handler,
        text="Cơ quan đã xem xét và trả lời như sau: ...",
    ):
        return
    petition.refresh_from_db()
    if petition.state == "answer_review":
        if plan == "answer_review" or supervisor is None:
            return
        if not step(rng.randrange(2, 48), services.approve_answer, actor=supervisor):
            return
    if plan == "closed":
        step(rng.randrange(24, 200), services.close_petition, actor=citizen)
    elif plan == "reopened":
        step(
            rng.randrange(24, 200),
            services.reopen_petition,
            actor=citizen,
            reason="Câu trả lời chưa giải quyết được vấn đề.",
        )


def _member(agency, role):
    membership = (
        Membership.objects.filter(agency=agency, role=role)
        .select_related("user")
        .first()
    )
    return Actor.staff(membership.user) if membership else None
