from tests import factories
from workflow.routing import route_petition


def route(category, province_code=factories.LANG_SON, commune=None):
    return route_petition(
        category=category, province=factories.province(province_code), commune=commune
    )


def test_no_rule_means_triage_queue(land):
    assert route(land) is None


def test_most_specific_rule_wins(land):
    national = factories.agency("bo-tnmt", level="central", province_code=None)
    provincial = factories.agency("so-tnmt")
    communal = factories.agency("ubnd-xa", level="commune")
    any_category = factories.agency("ubnd-tinh")
    commune = factories.commune_of(factories.LANG_SON)
    factories.rule(national, category=land)
    factories.rule(provincial, category=land, province_code=factories.LANG_SON)
    factories.rule(
        communal, category=land, province_code=factories.LANG_SON, commune=commune
    )
    factories.rule(any_category, province_code=factories.LANG_SON)

    assert route(land, commune=commune) == communal
    assert (
        route(land, commune=factories.commune_of(factories.LANG_SON, 1)) == provincial
    )
    assert route(land, province_code=factories.THAI_NGUYEN) == national
    other = factories.category("health")
    # A rule for the category beats one for any category; without one, the area's rule.
    assert route(other) == any_category
    assert route(other, province_code=factories.THAI_NGUYEN) is None


def test_inactive_agency_is_skipped(land):
    closed = factories.agency("closed")
    closed.is_active = False
    closed.save()
    factories.rule(closed, category=land)
    assert route(land) is None
