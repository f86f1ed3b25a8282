"""What the forms of several pages share: staff and citizen pages alike."""

from datetime import date

from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.errors import STALE_PAGE

# Django's Vietnamese messages read poorly ("Nhập một số tổng thể.", a space before
# the full stop of a limit, the value typed echoed in a list's refusal): every form
# of the project says these instead, by Django's error code, unless a field words
# its own.
FIELD_MESSAGES = {
    "required": _("Vui lòng nhập thông tin này."),
    "choose": _("Vui lòng chọn một mục."),
    "invalid_choice": _("Vui lòng chọn một mục trong danh sách."),
    "whole_number": _("Vui lòng nhập một số nguyên, ví dụ 5."),
    "min_value": _("Vui lòng nhập một số không nhỏ hơn %(limit_value)s."),
    "max_value": _("Vui lòng nhập một số không lớn hơn %(limit_value)s."),
    "max_length": _("Tối đa %(limit_value)s ký tự (hiện có %(show_value)s)."),
    "repeated": _("Mục này được gửi nhiều lần. Vui lòng nhập lại."),
}


def field_messages(field) -> dict:
    """The project's messages for one field, by Django's error code."""
    is_choice = isinstance(field, forms.ChoiceField | forms.ModelChoiceField)
    messages = {
        "required": FIELD_MESSAGES["choose" if is_choice else "required"],
        "min_value": FIELD_MESSAGES["min_value"],
        "max_value": FIELD_MESSAGES["max_value"],
    }
    if is_choice:
        messages["invalid_choice"] = FIELD_MESSAGES["invalid_choice"]
    if isinstance(field, forms.IntegerField):
        messages["invalid"] = FIELD_MESSAGES["whole_number"]
    if isinstance(field, forms.CharField):
        messages["max_length"] = FIELD_MESSAGES["max_length"]
    return messages


def _stock_messages(field_class) -> dict:
    # As Django's Field.__init__ gathers them, so a field's own message (given in
    # error_messages=) is told apart from the stock one by identity.
    messages: dict = {}
    for cls in reversed(field_class.__mro__):
        messages.update(getattr(cls, "default_error_messages", {}))
    return messages


def use_field_messages(field) -> None:
    """Give a field the project's messages where it still has Django's."""
    stock = _stock_messages(type(field))
    for code, message in field_messages(field).items():
        current = field.error_messages.get(code)
        if current is None or current is stock.get(code):
            field.error_messages[code] = message


# Days a form takes. One far outside any petition's life is a slip of the keyboard,
# and the last day Python's dates reach (31/12/9999) has no next day to count a
# period's end to: a filter up to it was a server error.
FIRST_DAY, LAST_DAY = date(1900, 1, 1), date(9998, 12, 31)
# The browser's date picker speaks ISO dates whatever the page's language.
DAY_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class DayField(forms.DateField):
    """A calendar day, typed as the date picker sends it or as dd/mm/yyyy, from
    FIRST_DAY to LAST_DAY."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget", forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
        )
        kwargs.setdefault("input_formats", DAY_FORMATS)
        super().__init__(**kwargs)

    def validate(self, value):
        super().validate(value)
        if value and not FIRST_DAY <= value <= LAST_DAY:
            raise forms.ValidationError(
                _("Vui lòng chọn một ngày từ %(first)s đến %(last)s."),
                code="out_of_range",
                params={
                    "first": FIRST_DAY.strftime("%d/%m/%Y"),
                    "last": LAST_DAY.strftime("%d/%m/%Y"),
                },
            )


class VersionField(forms.IntegerField):
    """The petition's version the page showed (a step's expected_version), hidden:
    a page that lost or mangled it is told to reload (pages show hidden fields'
    errors above the form), not to type a whole number nobody can see."""

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", forms.HiddenInput)
        kwargs.setdefault("min_value", 1)
        kwargs.setdefault(
            "error_messages",
            {code: STALE_PAGE for code in ("required", "invalid", "min_value")},
        )
        super().__init__(**kwargs)


class PaknForm(forms.Form):
    """The base of every form of the project: errors in the project's words, and
    no field of one value given twice."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            use_field_messages(field)

    def full_clean(self):
        super().full_clean()
        # A browser sends a field of one value once. Given twice (a hand-made
        # request, "province=20&province=4"), Django reads the last without a
        # word, and the sender may have meant the other: a title, a province, a
        # data request's kind ("see" or "erase") would change unseen.
        if not self.is_bound or not hasattr(self.data, "getlist"):
            return
        for name, field in self.fields.items():
            if getattr(field.widget, "allow_multiple_selected", False):
                continue
            if len(self.data.getlist(self.add_prefix(name))) > 1:
                self.add_error(name, FIELD_MESSAGES["repeated"])
