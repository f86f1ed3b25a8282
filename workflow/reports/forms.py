"""What an auditor picks: a period, a figure to list, a period to close."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow.codes import MAX_ID, parse_number
from workflow.forms.common import DayField, PaknForm
from workflow.models.petitions import STAFF_CHANNELS
from workflow.reports import listing
from workflow.reports.periods import Period

MAX_DAYS = 3 * 366


class PeriodForm(PaknForm):
    start_on = DayField(label=_("Từ ngày"))
    end_on = DayField(label=_("Đến ngày"))

    def __init__(self, data=None, **kwargs):
        # An empty query string means the default period, not a form full of errors.
        if data is not None and not (data.get("start_on") or data.get("end_on")):
            data = None
        if data is None:
            default = Period.default(now=timezone.now())
            kwargs.setdefault(
                "initial", {"start_on": default.start_on, "end_on": default.end_on}
            )
        super().__init__(data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        start_on, end_on = cleaned.get("start_on"), cleaned.get("end_on")
        if start_on and end_on:
            if start_on > end_on:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
            if (end_on - start_on).days > MAX_DAYS:
                raise forms.ValidationError(_("Kỳ báo cáo tối đa là ba năm."))
        return cleaned

    def period(self) -> Period:
        """The chosen period; the default (the last 90 days) when none or a bad one."""
        if self.is_bound and self.is_valid():
            return Period(self.cleaned_data["start_on"], self.cleaned_data["end_on"])
        return Period.default(now=timezone.now())


class DrillDownForm(PeriodForm):
    """One figure of one row: the period, the column and the row (by, key)."""

    measure = forms.ChoiceField(choices=[(m, m) for m in listing.MEASURES])
    by = forms.ChoiceField(choices=[(b, b) for b in listing.BY], required=False)
    key = forms.CharField(required=False, max_length=20)

    def __init__(self, data=None, **kwargs):
        forms.Form.__init__(self, data, **kwargs)

    def clean(self):
        cleaned = super().clean()
        by, key = cleaned.get("by") or "total", cleaned.get("key") or ""
        if by == "agency" and key == "none":
            key = ""  # the triage desk: petitions no agency holds
        numbered = by in ("agency", "province", "category")
        if numbered and key and parse_number(key, maximum=MAX_ID) is None:
            raise forms.ValidationError(_("Đơn vị không hợp lệ."))
        if by in ("province", "category", "channel") and not key:
            raise forms.ValidationError(_("Đơn vị không hợp lệ."))
        cleaned["by"], cleaned["key"] = by, key
        return cleaned

    def period(self) -> Period:
        return Period(self.cleaned_data["start_on"], self.cleaned_data["end_on"])


class ClosePeriodForm(PeriodForm):
    """An admin closes the period shown (chốt số liệu)."""

    def __init__(self, data=None, **kwargs):
        forms.Form.__init__(self, data, **kwargs)


class BackdatedForm(PeriodForm):
    """The auditors' list of back-dated entries: entered in a period, by channel."""

    channel = forms.ChoiceField(
        label=_("Kênh tiếp nhận"),
        required=False,
        choices=[
            ("", _("Mọi kênh")),
            *[(c.value, c.label) for c in STAFF_CHANNELS],
        ],
    )

    def channel_filter(self) -> str:
        return self.cleaned_data.get("channel", "") if self.is_valid() else ""
