from django import forms
from django.utils.translation import gettext_lazy as _

from workflow.forms.common import PaknForm


class CodeForm(PaknForm):
    code = forms.CharField(
        label=_("Mã xác thực"),
        max_length=40,
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "autofocus": True}
        ),
    )
