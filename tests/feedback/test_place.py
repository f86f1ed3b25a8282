"""Issue 14 item 7: where — an address and a point as the petition's own data."""

from decimal import Decimal

from workflow.models import Petition


def test_a_place_and_a_point_are_stored_apart_from_the_text(client, form_data):
    form_data.update(
        place="  Cầu treo   Bản Chắt ", latitude="21.8537", longitude="106.7615"
    )
    response = client.post("/", form_data)
    assert response.status_code == 200
    petition = Petition.objects.get()
    assert petition.place == "Cầu treo Bản Chắt"
    assert (str(petition.latitude), str(petition.longitude)) == (
        "21.853700",
        "106.761500",
    )
    assert "21.85" not in petition.content


def test_half_a_point_is_refused_on_the_place_field_and_nothing_is_saved(
    client, form_data
):
    form_data.update(latitude="21.8537", longitude="")
    response = client.post("/", form_data)
    assert response.status_code == 400
    assert "cần cả vĩ độ và kinh độ" in response.content.decode()
    assert Petition.objects.count() == 0


def test_the_case_page_shows_the_place(client, form_data):
    form_data.update(place="Cầu treo Bản Chắt")
    html = client.post("/", form_data).content.decode()
    code = html.split('id="tracking-code">')[1].split("<")[0]
    secret = html.split('id="secret">')[1].split("<")[0]
    client.post("/track/", {"tracking_code": code, "secret": secret})
    assert "Cầu treo Bản Chắt" in client.get(f"/track/{code}/").content.decode()


def test_coordinates_in_other_scripts_digits_are_refused_by_the_rule(db):
    # Decimal("٢١") is 21; every door takes the digits 0-9 only (workflow.codes).
    import pytest

    from workflow.errors import InvalidInput
    from workflow.intake_rules import clean_place

    for latitude, longitude in (("٢١", "106"), ("21", "１０６"), ("2¹", "106")):
        with pytest.raises(InvalidInput) as refused:
            clean_place("", latitude, longitude)
        assert refused.value.field == "latitude"
    assert clean_place("", " 21.5 ", "106")["latitude"] == Decimal("21.500000")
