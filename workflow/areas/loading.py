"""Load the units shipped by `vietnam-provinces` into the dated tables."""

import json

import vietnam_provinces

from workflow.areas.models import REFORM_2025_07_01


def load_units(
    province_model, commune_model, valid_from=REFORM_2025_07_01
) -> tuple[int, int]:
    """Insert every province and commune of the package, valid from `valid_from`.

    Takes the model classes as arguments so that a data migration can pass its
    historical
    models. Rows already present for that date are left alone, so a rerun adds nothing.
    """
    with open(vietnam_provinces.NESTED_DIVISIONS_JSON_PATH, encoding="utf-8") as f:
        divisions = json.load(f)
    known = set(
        province_model.objects.filter(valid_from=valid_from).values_list(
            "code", flat=True
        )
    )
    provinces = province_model.objects.bulk_create(
        province_model(
            code=p["code"],
            name=p["name"],
            division_type=p["division_type"],
            codename=p["codename"],
            valid_from=valid_from,
        )
        for p in divisions
        if p["code"] not in known
    )
    by_code = {p.code: p for p in provinces}
    communes = commune_model.objects.bulk_create(
        commune_model(
            code=w["code"],
            name=w["name"],
            division_type=w["division_type"],
            codename=w["codename"],
            province=by_code[p["code"]],
            valid_from=valid_from,
        )
        for p in divisions
        if p["code"] in by_code
        for w in p["wards"]
    )
    return len(provinces), len(communes)
