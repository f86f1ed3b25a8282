"""Reference data for tests only; petitions are made through the services."""

from django.contrib.auth import get_user_model

from workflow.areas.models import Commune, Province
from workflow.models import Agency, Category, Membership, RoutingRule, SlaTarget

LANG_SON = 20  # official province codes (since 1 July 2025)
THAI_NGUYEN = 19


def province(code=LANG_SON):
    return Province.objects.current().get(code=code)


def commune_of(province_code=LANG_SON, index=0):
    return (
        Commune.objects.current()
        .filter(province__code=province_code)
        .order_by("code")[index]
    )


def agency(
    code,
    *,
    level=Agency.Level.PROVINCE,
    parent=None,
    province_code=LANG_SON,
    requires_answer_review=False,
):
    return Agency.objects.create(
        code=code,
        name=f"Agency {code}",
        level=level,
        parent=parent,
        province=province(province_code) if province_code else None,
        requires_answer_review=requires_answer_review,
        email=f"{code}@agency.example",
    )


def category(code="land", *, triage=5, accept=2, answer=20, answer_unit="days"):
    cat = Category.objects.create(code=code, name=f"Category {code}", name_en=code)
    SlaTarget.objects.bulk_create(
        [
            SlaTarget(category=cat, clock="triage", amount=triage, unit="working_days"),
            SlaTarget(category=cat, clock="accept", amount=accept, unit="working_days"),
            SlaTarget(category=cat, clock="answer", amount=answer, unit=answer_unit),
        ]
    )
    return cat


def staff(username, role, agency=None):
    user = get_user_model().objects.create_user(
        username=username,
        password="pw",
        email=f"{username}@staff.example",
        first_name=username.title(),
    )
    Membership.objects.create(user=user, role=role, agency=agency)
    return user


def rule(agency, *, category=None, province_code=None, commune=None):
    return RoutingRule.objects.create(
        agency=agency,
        category=category,
        province=province(province_code) if province_code else None,
        commune=commune,
    )
