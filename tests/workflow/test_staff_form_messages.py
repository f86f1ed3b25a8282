"""The project's own field messages on staff forms, in Vietnamese and English.

Django's Vietnamese catalogue reads "Nhập một số tổng thể." for a whole number,
puts a space before the full stop of its limits and echoes the value typed into a
list's refusal; every form of the project words these itself.
"""

import importlib
import pkgutil
from datetime import date

import pytest
from django import forms

import feedback
import workflow
from workflow import services
from workflow.forms.common import DayField, PaknForm, VersionField
from workflow.models import Extension, Petition

STOCK_WORDING = ("tổng thể", " .", "khả thi", "hợp lệ.")


def refetch(petition):
    return Petition.objects.get(pk=petition.pk)


@pytest.fixture
def in_progress(submit, routed_to_a, handler_a):
    return services.accept_petition(petition_id=submit().pk, actor=handler_a)


def ask_extension(client, petition, days, **headers):
    return client.post(
        f"/work/petitions/{petition.tracking_code}/request_extension/",
        {
            "request_extension-version": refetch(petition).version,
            "request_extension-days": days,
            "request_extension-reason": "Cần xác minh thực địa",
        },
        **headers,
    )


def page_of(response):
    html = response.content.decode()
    assert [stock for stock in STOCK_WORDING if stock in html] == []
    return html


@pytest.mark.parametrize(
    ("days", "message"),
    [
        ("năm", "Vui lòng nhập một số nguyên, ví dụ 5."),
        ("0", "Vui lòng nhập một số không nhỏ hơn 1."),
        ("31", "Vui lòng nhập một số không lớn hơn 30."),
    ],
)
def test_the_extension_days_are_refused_in_the_projects_words(
    in_progress, handler_a, staff_client, days, message
):
    response = ask_extension(staff_client(handler_a), in_progress, days)
    assert response.status_code == 400
    assert message in page_of(response)
    assert not Extension.objects.filter(petition=in_progress).exists()


def test_the_same_limits_read_in_english(in_progress, handler_a, staff_client):
    client = staff_client(handler_a)
    typed = ask_extension(client, in_progress, "five", HTTP_ACCEPT_LANGUAGE="en")
    above = ask_extension(client, in_progress, "31", HTTP_ACCEPT_LANGUAGE="en")
    assert "Please enter a whole number, for example 5." in page_of(typed)
    assert "Please enter a number no greater than 30." in page_of(above)


def test_an_unknown_choice_is_refused_without_echoing_it(
    submit, coordinator, staff_client
):
    petition = submit()  # no rule routes it: it waits for the coordinator
    response = staff_client(coordinator).post(
        f"/work/petitions/{petition.tracking_code}/triage/",
        {"triage-version": refetch(petition).version, "triage-agency": "alien"},
    )
    assert response.status_code == 400
    html = page_of(response)
    assert "Vui lòng chọn một mục trong danh sách." in html
    assert "alien" not in html


def test_a_filter_value_outside_the_list_is_named_as_such(handler_a, staff_client):
    page = staff_client(handler_a).get("/work/queue/?channel=alien")
    assert "Vui lòng chọn một mục trong danh sách." in page_of(page)


def _project_forms():
    for package in (feedback, workflow):
        for module in pkgutil.walk_packages(package.__path__, package.__name__ + "."):
            if "migrations" not in module.name and "tests" not in module.name:
                importlib.import_module(module.name)

    def subclasses(cls):
        for sub in cls.__subclasses__():
            yield sub
            yield from subclasses(sub)

    return [
        cls
        for cls in subclasses(forms.Form)
        if cls.__module__.startswith(("feedback.", "workflow."))
    ]


def test_every_form_of_the_project_speaks_in_its_own_words():
    # A new form on forms.Form would show Django's stock messages again.
    strays = [
        f"{cls.__module__}.{cls.__qualname__}"
        for cls in _project_forms()
        if not issubclass(cls, PaknForm)
    ]
    assert strays == []


def test_a_text_too_long_says_the_limit_and_its_length_in_the_projects_words(
    client, land
):
    # Django's Vietnamese read "Giá trị này chỉ có tối đa 20 kí tự (hiện có 50)".
    from feedback.forms import RecoveryRequestForm

    form = RecoveryRequestForm({"tracking_code": "A" * 50})

    assert not form.is_valid()
    assert form.errors["tracking_code"] == ["Tối đa 20 ký tự (hiện có 50)."]


class _DayForm(PaknForm):
    day = DayField()


@pytest.mark.parametrize(
    ("typed", "day"),
    [
        ("2026-12-04", date(2026, 12, 4)),
        ("04/12/2026", date(2026, 12, 4)),
        ("31/12/9998", date(9998, 12, 31)),
        ("1900-01-01", date(1900, 1, 1)),
        ("9999-12-31", None),
        ("1899-12-31", None),
    ],
)
def test_a_day_is_taken_from_1900_to_9998(typed, day):
    form = _DayForm({"day": typed})

    assert form.is_valid() is (day is not None)
    if day is None:
        assert form.errors["day"] == [
            "Vui lòng chọn một ngày từ 01/01/1900 đến 31/12/9998."
        ]
    else:
        assert form.cleaned_data["day"] == day


class _VersionedForm(PaknForm):
    version = VersionField()


@pytest.mark.parametrize("typed", ["", "abc", "1.5", "0", "-3", "9" * 5000])
def test_a_hidden_version_no_page_sends_says_to_reload_the_page(typed):
    form = _VersionedForm({"version": typed})

    assert not form.is_valid()
    assert form.errors["version"] == [
        "Trang này đã cũ hoặc không đầy đủ: vui lòng tải lại trang rồi thực hiện lại."
    ]
