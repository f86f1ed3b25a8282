"""Which agency a new petition goes to."""

from django.db.models import Q

from workflow.models import RoutingRule


def route_petition(*, category, province, commune):
    """The agency of the most specific matching rule, or None for the triage queue.

    A rule for the category beats a rule for any category; among those, a rule for the
    commune beats one for its province, which beats one for the whole country.
    """
    rules = (
        RoutingRule.objects.filter(
            Q(category=category) | Q(category__isnull=True),
            Q(province=province) | Q(province__isnull=True),
            Q(commune=commune) | Q(commune__isnull=True),
            agency__is_active=True,
        )
        .select_related("agency")
        .order_by(
            "category_id",  # NULLs sort last ascending in PostgreSQL
            "commune_id",
            "province_id",
        )
    )
    rule = rules.first()
    return rule.agency if rule is not None else None
