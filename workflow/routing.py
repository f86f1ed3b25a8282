"""Which agency a new petition goes to."""

from workflow.models import RoutingRule
from workflow.reference import reference


def route_petition(*, category, province, commune, ref=None):
    """The agency of the most specific matching rule, or None for the triage queue.

    A rule for the category beats a rule for any category; among those, a rule for the
    commune beats one for its province, which beats one for the whole country.
    """
    rules = (ref or reference()).get("routing rules", _load_rules)
    ids = (
        (category.pk, None),
        (commune.pk if commune else None, None),
        (province.pk, None),
    )
    for category_id in ids[0]:
        for commune_id in ids[1]:
            for province_id in ids[2]:
                agency = rules.get((category_id, province_id, commune_id))
                if agency is not None:
                    return agency
    return None


def _load_rules() -> dict:
    """Every rule of an active agency, by (category, province, commune) ids."""
    return {
        (rule.category_id, rule.province_id, rule.commune_id): rule.agency
        for rule in RoutingRule.objects.filter(agency__is_active=True).select_related(
            "agency"
        )
    }
