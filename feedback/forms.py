"""Forms of the citizen pages: parse and check what was typed, in the user's language.

The workflow services remain the authority on every rule; these forms check the same
things first so that all mistakes are shown at once and in the user's language, and
map whatever the services still refuse onto the field concerned.
"""

import re
import unicodedata
import uuid
from functools import cached_property

from django import forms
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from feedback.files import sniff_upload
from feedback.services import Upload
from workflow import intake_rules as rules
from workflow.areas.models import Commune, Province
from workflow.codes import parse_number
from workflow.errors import InvalidInput, NotAllowedNow, NotPermitted, PetitionChanged
from workflow.forms.common import FIELD_MESSAGES, DayField, PaknForm, VersionField
from workflow.models import Agency, Category, SubmitterKind
from workflow.privacy.consent import IntakeConsent, current_notices
from workflow.privacy.models import Consent, Purpose, RequestKind

MESSAGES = {
    "tax_code_required": rules.TAX_CODE_REQUIRED,
    "tax_code_format": rules.TAX_CODE_FORMAT,
    "contact_required": rules.CONTACT_REQUIRED,
    "phone_format": rules.PHONE_FORMAT,
    "commune_outside": _("Xã, phường này không thuộc tỉnh, thành phố đã chọn."),
    "province_unknown": _("Vui lòng chọn tỉnh, thành phố trong danh sách."),
    "honeypot": _("Ô này phải để trống."),
    "file_type": _(
        "Tệp «%(name)s» không phải PDF, JPEG hoặc PNG (loại tệp được nhận biết "
        "theo nội dung, không theo tên tệp)."
    ),
    "required": FIELD_MESSAGES["required"],
    "choose": FIELD_MESSAGES["choose"],
    "category_required": rules.CATEGORY_REQUIRED,
    "province_required": rules.PROVINCE_REQUIRED,
    "submitter_kind_required": rules.SUBMITTER_KIND_REQUIRED,
}

# The hidden fields that bring back the version of each notice shown.
NOTICE_FIELDS = {
    Purpose.PROCESSING: "processing_notice",
    Purpose.PUBLICATION: "publication_notice",
}
CONSENT_REQUIRED = _(
    "Phản ánh chỉ được giải quyết khi bạn đồng ý xử lý dữ liệu cá nhân: vui lòng "
    "đọc thông báo và đánh dấu ô này."
)
NOTHING_TO_CORRECT = _(
    "Vui lòng nhập thông tin đúng cần sửa, hoặc mô tả điều cần chỉnh sửa."
)
NOTICE_CHANGED = _(
    "Nội dung thông báo vừa được cập nhật: vui lòng đọc lại rồi đánh dấu đồng ý."
)

# What a workflow service's InvalidInput on a field means, in the user's language.
WORKFLOW_FIELD_MESSAGES = {
    "tax_code": MESSAGES["tax_code_format"],
    "email": MESSAGES["contact_required"],
    "commune": MESSAGES["commune_outside"],
    "province": MESSAGES["province_unknown"],
    "score": _("Phản ánh này đã được đánh giá."),
}


def workflow_error_message(error) -> str:
    """A workflow error as a sentence for the submitter, in the current language."""
    if isinstance(error, PetitionChanged):
        return _(
            "Phản ánh vừa được cập nhật trong lúc bạn xem trang. Vui lòng xem lại "
            "thông tin mới nhất rồi thực hiện lại."
        )
    if isinstance(error, NotAllowedNow):
        # Its own sentence where the service wrote one (a rating given already),
        # else: no longer possible in the petition's state.
        return error.display
    if isinstance(error, NotPermitted):
        return _("Bạn không thể thực hiện thao tác này.")
    if isinstance(error, InvalidInput) and error.code == "forbidden_character":
        return error.display  # names the character, whatever the field
    if isinstance(error, InvalidInput) and error.field in WORKFLOW_FIELD_MESSAGES:
        return WORKFLOW_FIELD_MESSAGES[error.field]
    return error.display


class CitizenForm(PaknForm):
    """Field errors in the user's language; `add_workflow_error` for service errors."""

    required_css_class = "required"
    # Form field → the field name a workflow service uses in InvalidInput.field.
    workflow_fields: dict[str, str] = {}

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            # A choice says which one is missing ("chọn lĩnh vực", "chọn tỉnh"):
            # one "choose an item" for several fields tells nobody which.
            if f"{name}_required" in MESSAGES:
                field.error_messages["required"] = MESSAGES[f"{name}_required"]

    def add_workflow_error(self, error) -> None:
        names = {v: k for k, v in self.workflow_fields.items()}
        name = names.get(getattr(error, "field", None), getattr(error, "field", None))
        self.add_error(
            name if name in self.fields else None, workflow_error_message(error)
        )


class MultipleFileInput(forms.FileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    """Several files in one input; each is checked by `clean_uploads`."""

    def __init__(self, **kwargs):
        kwargs.setdefault(
            "widget",
            MultipleFileInput(
                attrs={"accept": ".pdf,.jpg,.jpeg,.png,application/pdf,image/*"}
            ),
        )
        # An empty file is refused by clean_uploads, naming it; Django's own
        # refusal ("Tập tin được gửi là rỗng.") says not which.
        kwargs.setdefault("allow_empty_file", True)
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return [super(MultipleFileField, self).clean(item, initial) for item in files]


def clean_uploads(files) -> tuple[Upload, ...]:
    """Check count and sizes (workflow.intake_rules) and the kind read from each
    file's content."""
    limits = rules.FileLimits.from_settings()
    if problem := limits.count_problem(len(files)):
        raise forms.ValidationError(problem)
    errors, uploads = [], []
    for upload in files:
        if problem := limits.file_problem(upload.name, upload.size):
            errors.append(problem)
        elif (kind := sniff_upload(upload)) is None:
            errors.append(MESSAGES["file_type"] % {"name": upload.name})
        else:
            uploads.append(Upload(file=upload, kind=kind))
    if not errors and (
        problem := limits.total_problem(sum(u.file.size for u in uploads))
    ):
        errors.append(problem)
    if errors:
        raise forms.ValidationError(errors)
    return tuple(uploads)


def attachments_help_text():
    limits = rules.FileLimits.from_settings()
    return _(
        "Tối đa %(count)s tệp PDF, JPEG hoặc PNG, mỗi tệp không quá %(size)s MB, "
        "tổng cộng không quá %(total)s MB."
    ) % {
        "count": limits.count,
        "size": rules.megabytes(limits.each_bytes),
        "total": rules.megabytes(limits.total_bytes),
    }


class CategoryChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        if get_language() == "en" and obj.name_en:
            return obj.name_en
        return obj.name


class OpenCategoryField(CategoryChoiceField):
    """The category of a new petition: one of those that take petitions."""

    def to_python(self, value):
        try:
            return super().to_python(value)
        except forms.ValidationError:
            # A category the admin closed still exists: say it is closed, as the
            # intake service does, not that it is missing from the list.
            if Category.objects.filter(code=value, is_active=False).exists():
                raise forms.ValidationError(
                    rules.CATEGORY_CLOSED, code="closed_category"
                ) from None
            raise


class UnitChoiceField(forms.ModelChoiceField):
    """A province or commune chosen by its official code, in ASCII digits only.

    Django would look up "٢٠" (Arabic-Indic digits) as code 20 (workflow.codes).
    """

    def to_python(self, value):
        if value not in self.empty_values and parse_number(value) is None:
            raise forms.ValidationError(
                self.error_messages["invalid_choice"], code="invalid_choice"
            )
        return super().to_python(value)


class PetitionForm(CitizenForm):
    """The public submission form (feedback.services.file_petition)."""

    submitter_kind = forms.ChoiceField(
        label=_("Bạn gửi với tư cách"),
        choices=SubmitterKind.choices,
        initial=SubmitterKind.CITIZEN,
        widget=forms.RadioSelect,
    )
    submitter_name = forms.CharField(
        label=_("Họ và tên hoặc tên doanh nghiệp, tổ chức"),
        max_length=rules.SUBMITTER_NAME_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    tax_code = forms.CharField(
        label=_("Mã số thuế"),
        required=False,
        max_length=rules.TAX_CODE_MAX_LENGTH + 6,  # room for spaces between groups
        help_text=_("Chỉ dành cho doanh nghiệp, tổ chức."),
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
    )
    email = forms.EmailField(
        label=_("Thư điện tử"),
        required=False,
        max_length=rules.EMAIL_MAX_LENGTH,
        error_messages={"invalid": rules.EMAIL_FORMAT},
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Số điện thoại"),
        required=False,
        max_length=rules.PHONE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    category = OpenCategoryField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.filter(is_active=True).order_by("name"),
        to_field_name="code",
        empty_label=_("— Chọn lĩnh vực —"),
        error_messages={"invalid_choice": rules.CATEGORY_UNKNOWN},
    )
    province = UnitChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=Province.objects.current().order_by("codename"),
        to_field_name="code",
        empty_label=_("— Chọn tỉnh, thành phố —"),
        error_messages={"invalid_choice": MESSAGES["province_unknown"]},
    )
    commune = UnitChoiceField(
        label=_("Xã, phường (nếu phản ánh liên quan đến một xã, phường)"),
        queryset=Commune.objects.none(),
        to_field_name="code",
        required=False,
        empty_label=_("— Không chọn —"),
        error_messages={"invalid_choice": MESSAGES["commune_outside"]},
    )
    place = forms.CharField(
        label=_("Địa chỉ nơi xảy ra sự việc"),
        required=False,
        max_length=rules.PLACE_MAX_LENGTH,
        help_text=_("Số nhà, đường, thôn, xóm hoặc mô tả nơi xảy ra, nếu có."),
        widget=forms.TextInput(attrs={"autocomplete": "off"}),
    )
    # Filled by the map (static/js/place-map.js) where one is configured.
    latitude = forms.CharField(required=False, widget=forms.HiddenInput)
    longitude = forms.CharField(required=False, widget=forms.HiddenInput)
    title = forms.CharField(label=_("Tiêu đề"), max_length=rules.TITLE_MAX_LENGTH)
    content = forms.CharField(
        label=_("Nội dung phản ánh, kiến nghị"),
        max_length=rules.CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    # Consent, purpose by purpose, never ticked in advance (Decree 356/2025/NĐ-CP
    # art. 6); the notice shown above each box is its label's context, and its
    # version comes back in processing_notice / publication_notice.
    processing_consent = forms.BooleanField(
        label=_("Tôi đã đọc và đồng ý để dữ liệu cá nhân được xử lý như trên.")
    )
    publish_consent = forms.BooleanField(
        label=_("Tôi đồng ý công khai như trên (không bắt buộc)."),
        required=False,
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm"), required=False)
    sensitive_attachments = forms.BooleanField(
        label=_(
            "Tệp đính kèm có ảnh căn cước, giấy tờ tùy thân hoặc dữ liệu nhạy cảm khác"
        ),
        help_text=_(
            "Tệp được đánh dấu chỉ cán bộ của cơ quan đang giải quyết xem được, không "
            "bao giờ được công khai và được xóa khi hết thời hạn lưu trữ."
        ),
        required=False,
    )
    # A field people never see (hidden by CSS, skipped by screen readers and the
    # keyboard) that form-filling robots fill in.
    website = forms.CharField(
        label=_("Không điền vào ô này"),
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )
    # One-time id of this form: resending it (reload, double click) does not file
    # the petition twice (workflow's channel_ref).
    form_token = forms.CharField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help_text()
        self.fields["commune"].queryset = self._communes()
        self.fields["processing_consent"].error_messages["required"] = CONSENT_REQUIRED
        if not self.is_bound and not self.initial.get("form_token"):
            self.initial["form_token"] = uuid.uuid4().hex

    def _communes(self):
        # The choices follow the chosen province, both for rendering and for
        # validation: a commune of another province is an invalid choice.
        source = self.data if self.is_bound else self.initial
        code = parse_number(source.get("province"))
        if code is None:
            return Commune.objects.none()
        return (
            Commune.objects.current()
            .filter(province__code=code, province__valid_to__isnull=True)
            .order_by("codename")
        )

    def clean_phone(self):
        return _by_rule(rules.clean_phone, self.cleaned_data["phone"])

    def clean_email(self):
        return _by_rule(rules.clean_email, self.cleaned_data["email"])

    def clean_website(self):
        if self.cleaned_data["website"]:
            raise forms.ValidationError(MESSAGES["honeypot"])
        return ""

    def clean_form_token(self):
        token = self.cleaned_data["form_token"].strip()
        return token if re.fullmatch(r"[0-9a-f]{32}", token) else None

    def clean_attachments(self):
        return clean_uploads(self.cleaned_data["attachments"])

    def clean(self):
        data = super().clean()
        kind = data.get("submitter_kind")
        if kind == SubmitterKind.CITIZEN:
            # The field is hidden for citizens; whatever it holds is not theirs.
            data["tax_code"] = ""
        elif kind and "tax_code" in data:
            try:
                data["tax_code"] = rules.clean_tax_code(
                    data["tax_code"], submitter_kind=kind
                )
            except InvalidInput as error:
                self.add_error("tax_code", error.display)
        try:
            data.update(
                rules.clean_place(
                    data.get("place", ""), data.get("latitude"), data.get("longitude")
                )
            )
        except InvalidInput as error:
            self.add_error("place", error.display)
        if "email" not in self.errors and "phone" not in self.errors:
            try:
                self.check_contact(data)
            except InvalidInput as error:
                self.add_error("email", error.display)
        self._check_notices(data)
        return data

    def check_contact(self, data):
        rules.require_contact(email=data.get("email", ""), phone=data.get("phone", ""))

    def likeness_fields(self) -> dict:
        """What feedback.duplicates compares (a valid form)."""
        data = self.cleaned_data
        return {
            "category": data["category"],
            "commune": data["commune"],
            "title": data["title"],
            "content": data["content"],
        }

    def contact_fields(self) -> dict:
        return {
            "email": self.cleaned_data["email"],
            "phone": self.cleaned_data["phone"],
        }

    @cached_property
    def notices(self):
        """The notices in force, shown above the boxes; their ids come back with
        the form so that the consent recorded names the text that was read."""
        return current_notices()

    def _check_notices(self, data):
        """A box ticked under a notice that is no longer in force is not consent
        to the notice in force: it is unticked, to be read and ticked again."""
        for field, purpose in (
            ("processing_consent", Purpose.PROCESSING),
            ("publish_consent", Purpose.PUBLICATION),
        ):
            notice = self.notices.get(purpose)
            shown = self.data.get(NOTICE_FIELDS[purpose], "")
            if data.get(field) and notice is not None and shown != str(notice.pk):
                self.add_error(field, NOTICE_CHANGED)
                self.data = self.data.copy()
                self.data.pop(field, None)

    def consent(self) -> IntakeConsent:
        notices = self.notices
        processing = notices.get(Purpose.PROCESSING)
        publication = notices.get(Purpose.PUBLICATION)
        return IntakeConsent(
            basis=Consent.Basis.FORM,
            processing_notice_id=processing.pk if processing else None,
            publication_notice_id=(
                publication.pk
                if publication and self.cleaned_data["publish_consent"]
                else None
            ),
        )

    def petition_fields(self) -> dict:
        """Arguments of feedback.services.file_petition."""
        data = self.cleaned_data
        return {
            "submitter_kind": data["submitter_kind"],
            "submitter_name": data["submitter_name"],
            "tax_code": data["tax_code"],
            "email": data["email"],
            "phone": data["phone"],
            "category": data["category"].code,
            "province": data["province"].code,
            "commune": data["commune"].code if data["commune"] else None,
            "place": data["place"],
            "latitude": data["latitude"],
            "longitude": data["longitude"],
            "title": data["title"],
            "content": data["content"],
            "publish_consent": data["publish_consent"],
            "consent": self.consent(),
            "form_token": data["form_token"],
            "attachments": data["attachments"],
            "sensitive_attachments": data["sensitive_attachments"],
        }


def _by_rule(clean, value):
    """A field cleaned by an intake rule; its refusal as the field's error."""
    try:
        return clean(value)
    except InvalidInput as error:
        raise forms.ValidationError(error.display) from None


class TrackForm(CitizenForm):
    tracking_code = forms.CharField(
        label=_("Mã tra cứu"),
        max_length=20,
        widget=forms.TextInput(
            attrs={"autocomplete": "off", "autocapitalize": "characters"}
        ),
    )
    secret = forms.CharField(
        label=_("Mã bí mật"),
        max_length=20,
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
            }
        ),
    )


class RecoveryRequestForm(CitizenForm):
    """ "Quên mã bí mật", step 1: which petition (a code goes to its contacts)."""

    tracking_code = TrackForm.base_fields["tracking_code"]


class RecoveryCodeForm(CitizenForm):
    """Step 2: the one-time code received by e-mail or SMS."""

    tracking_code = forms.CharField(max_length=20, widget=forms.HiddenInput)
    code = forms.RegexField(
        label=_("Mã xác nhận"),
        # [0-9], not \d: Python's \d takes other scripts' digits (workflow.codes).
        regex=r"^\s*[0-9]{6}\s*$",
        error_messages={"invalid": _("Mã xác nhận gồm 6 chữ số, ví dụ 042917.")},
        widget=forms.TextInput(
            attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}
        ),
    )


class VersionedForm(CitizenForm):
    """An action on a case: carries the version the page showed (expected_version)."""

    version = VersionField()


class InformationForm(VersionedForm):
    workflow_fields = {"text": "information"}

    text = forms.CharField(
        label=_("Thông tin bổ sung"),
        max_length=rules.CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 5}),
    )
    attachments = MultipleFileField(label=_("Tệp đính kèm thêm"), required=False)
    sensitive_attachments = PetitionForm.declared_fields["sensitive_attachments"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["attachments"].help_text = attachments_help_text()

    def clean_attachments(self):
        return clean_uploads(self.cleaned_data["attachments"])


class RatingForm(CitizenForm):
    SCORES = [
        (5, _("5 – Rất hài lòng")),
        (4, _("4 – Hài lòng")),
        (3, _("3 – Bình thường")),
        (2, _("2 – Không hài lòng")),
        (1, _("1 – Rất không hài lòng")),
    ]

    score = forms.TypedChoiceField(
        label=_("Mức độ hài lòng với câu trả lời"),
        choices=SCORES,
        coerce=int,
        widget=forms.RadioSelect,
    )
    comment = forms.CharField(
        label=_("Ý kiến thêm (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class DisputeForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do đề nghị xem xét lại"),
        max_length=rules.CONTENT_MAX_LENGTH,
        widget=forms.Textarea(attrs={"rows": 4}),
    )


class CloseForm(VersionedForm):
    pass


class UnpublishForm(CitizenForm):
    """Withdraw consent to publication (no field: the button is the decision)."""


class WithdrawForm(VersionedForm):
    reason = forms.CharField(
        label=_("Lý do rút phản ánh (không bắt buộc)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class AnswerSearchForm(PaknForm):
    """Search and filters of /answers/; a bad value is shown, the rest still apply."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("label_suffix", "")
        super().__init__(*args, **kwargs)

    q = forms.CharField(label=_("Tìm kiếm"), required=False, max_length=200)
    agency = forms.ModelChoiceField(
        label=_("Cơ quan trả lời"),
        queryset=Agency.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("— Tất cả —"),
    )
    category = CategoryChoiceField(
        label=_("Lĩnh vực"),
        queryset=Category.objects.order_by("name"),
        to_field_name="code",
        required=False,
        empty_label=_("— Tất cả —"),
    )
    province = UnitChoiceField(
        label=_("Tỉnh, thành phố"),
        queryset=Province.objects.current().order_by("codename"),
        to_field_name="code",
        required=False,
        empty_label=_("— Tất cả —"),
    )
    answered_from = DayField(label=_("Trả lời từ ngày"), required=False)
    answered_until = DayField(label=_("đến ngày"), required=False)

    def clean_q(self):
        return unicodedata.normalize("NFC", self.cleaned_data["q"]).strip()

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("answered_from"), cleaned.get("answered_until")
        if start and end and start > end:
            # Said, not answered with an empty list; the start still applies.
            self.add_error(
                "answered_until", _("Ngày kết thúc không được trước ngày bắt đầu.")
            )
        return cleaned

    def filters(self) -> dict:
        """published_answers' arguments from what was valid (an error drops only
        its own filter)."""
        self.is_valid()  # cleaned_data then holds the fields that are valid
        data = self.cleaned_data
        names = ("agency", "category", "province", "answered_from", "answered_until")
        return {
            "search": data.get("q", ""),
            **{name: data.get(name) for name in names},
        }


class AttachForm(TrackForm):
    """Attach an earlier petition to the logged-in identity: prove its code and
    secret."""


class DataRequestForm(CitizenForm):
    """A data subject's request (workflow.privacy.requests.file_request)."""

    workflow_fields = {
        "corrected_name": "submitter_name",
        "corrected_email": "email",
        "corrected_phone": "phone",
    }

    kind = forms.ChoiceField(
        label=_("Bạn muốn"),
        choices=RequestKind.choices,
        widget=forms.RadioSelect,
    )
    details = forms.CharField(
        label=_("Nội dung yêu cầu (không bắt buộc khi xem, nhận bản sao dữ liệu)"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
    )
    corrected_name = forms.CharField(
        label=_("Họ và tên đúng"),
        required=False,
        max_length=rules.SUBMITTER_NAME_MAX_LENGTH,
    )
    corrected_email = forms.CharField(
        label=_("Thư điện tử đúng"),
        required=False,
        max_length=rules.EMAIL_MAX_LENGTH,
        widget=forms.EmailInput,
    )
    corrected_phone = forms.CharField(
        label=_("Số điện thoại đúng"),
        required=False,
        max_length=rules.PHONE_MAX_LENGTH,
        widget=forms.TextInput(attrs={"inputmode": "tel"}),
    )

    def clean_corrected_email(self):
        value = self.cleaned_data["corrected_email"]
        return _by_rule(rules.clean_email, value) if value else ""

    def clean_corrected_phone(self):
        value = self.cleaned_data["corrected_phone"]
        return _by_rule(rules.clean_phone, value) if value else ""

    def clean(self):
        data = super().clean()
        corrections = self.corrections()
        if data.get("kind") == RequestKind.CORRECT and not (
            corrections or data.get("details")
        ):
            self.add_error("details", NOTHING_TO_CORRECT)
        return data

    def corrections(self) -> dict:
        data = self.cleaned_data
        values = {
            "submitter_name": data.get("corrected_name", ""),
            "email": data.get("corrected_email", ""),
            "phone": data.get("corrected_phone", ""),
        }
        return {name: value for name, value in values.items() if value}
