"""What the forms of several pages share: staff and citizen pages alike."""

from django import forms
from django.utils.translation import gettext_lazy as _

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


class PaknForm(forms.Form):
    """The base of every form of the project: errors in the project's words."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            use_field_messages(field)
