"""The auditor pages: the report period, back-dated entries, the drill-down."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from workflow import queries
from workflow.codes import MAX_ID, parse_number
from workflow.models.petitions import STAFF_CHANNELS

REPORT_DEFAULT_DAYS = 90
REPORT_MAX_DAYS = 3 * 366
# The browser's date picker speaks ISO dates whatever the page's language.
DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]


class PeriodForm(forms.Form):
    start_on = forms.DateField(
        label=_("Từ ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )
    end_on = forms.DateField(
        label=_("Đến ngày"), widget=DATE_INPUT, input_formats=DATE_FORMATS
    )

    def __init__(self, data=None, **kwargs):
        # An empty query string means the default period, not a form full of errors.
        if data is not None and not (data.get("start_on") or data.get("end_on")):
            data = None
        if data is None:
            default = self.default_period()
            kwargs.setdefault(
                "initial", {"start_on": default.start_on, "end_on": default.end_on}
            )
        super().__init__(data, **kwargs)

    @staticmethod
    def default_period() -> queries.Period:
        return queries.Period.last_days(REPORT_DEFAULT_DAYS, now=timezone.now())

    def clean(self):
        cleaned = super().clean()
        start_on, end_on = cleaned.get("start_on"), cleaned.get("end_on")
        if start_on and end_on:
            if start_on > end_on:
                raise forms.ValidationError(_("Ngày bắt đầu phải trước ngày kết thúc."))
            if (end_on - start_on).days > REPORT_MAX_DAYS:
                raise forms.ValidationError(_("Kỳ báo cáo tối đa là ba năm."))
        return cleaned

    def period(self) -> queries.Period:
        """The chosen period; the last 90 days when none or an invalid one is given."""
        if self.is_bound and self.is_valid():
            return queries.Period(
                self.cleaned_data["start_on"], self.cleaned_data["end_on"]
            )
        return self.default_period()


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


class DrillDownForm(PeriodForm):
    measure = forms.ChoiceField(choices=[(m, m) for m in queries.MEASURES])
    agency = forms.CharField(required=False, max_length=10)
    province = forms.IntegerField(required=False, min_value=1)

    def __init__(self, data=None, **kwargs):
        forms.Form.__init__(self, data, **kwargs)

    def clean_agency(self):
        agency = self.cleaned_data["agency"]
        if agency and agency != "none" and parse_number(agency, maximum=MAX_ID) is None:
            raise forms.ValidationError(_("Đơn vị không hợp lệ."))
        return agency

    def period(self) -> queries.Period:
        return queries.Period(
            self.cleaned_data["start_on"], self.cleaned_data["end_on"]
        )
