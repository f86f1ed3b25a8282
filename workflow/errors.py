"""Errors a workflow service raises; each carries a code and two sentences.

`message` (also `str(error)`) is English and complete, for machine interfaces (the
intake API and Open311 answer in English), logs and tests. `text` is the same refusal
for the person on a page: translatable (gettext, Vietnamese source, English in
locale/en), with `params` filled in when it is shown (`display`), so that a
Vietnamese page says it in Vietnamese and an English page in English. `code` names
the refusal for programs, and `field` the input concerned.
"""

from django.utils.translation import gettext_lazy as _

# A page whose hidden version is missing or not one we sent (a form altered by
# hand, a page cut short): the form and the services say the same.
STALE_PAGE = _(
    "Trang này đã cũ hoặc không đầy đủ: vui lòng tải lại trang rồi thực hiện lại."
)


class WorkflowError(Exception):
    """Base class: `str(error)` is a complete sentence naming the problem."""

    code = "workflow_error"
    text = _("Thao tác chưa thực hiện được.")

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        code: str | None = None,
        text=None,
        params: dict | None = None,
    ):
        super().__init__(message)
        self.message = message
        self.field = field
        if code is not None:
            self.code = code
        if text is not None:
            self.text = text
        self.params = params

    def message_naming(self, name: str) -> str:
        """`message` with the input it opens with called `name`, as the door calls
        it ("submitter.name is required.", not "submitter_name is required."): a
        sender reads the names it sent, not the service's."""
        if self.field and self.message.startswith(f"{self.field} "):
            return name + self.message[len(self.field) :]
        return self.message

    @property
    def display(self) -> str:
        """The refusal for a page, in the active language."""
        return str(self.text) % self.params if self.params else str(self.text)


class InvalidInput(WorkflowError):
    code = "invalid"
    text = _("Thông tin chưa hợp lệ.")


class NotPermitted(WorkflowError):
    code = "not_permitted"
    text = _("Bạn không thể thực hiện thao tác này.")


class NotAllowedNow(WorkflowError):
    """The action does not apply to the petition in its current state."""

    code = "invalid_state"
    text = _(
        "Thao tác này không còn thực hiện được ở trạng thái hiện tại của phản ánh."
    )


class PetitionChanged(WorkflowError):
    code = "changed_meanwhile"
    text = _(
        "Phản ánh vừa được cập nhật trong lúc bạn xem trang. Vui lòng xem lại "
        "thông tin mới nhất rồi thực hiện lại."
    )


class AlreadyDelivered(WorkflowError):
    """The channel's id was delivered before; `petition` is the first one filed."""

    def __init__(self, message: str, *, petition):
        super().__init__(message, field="channel_ref")
        self.petition = petition


class ConflictingSubmission(AlreadyDelivered):
    """The channel's id was already delivered with another petition (its text,
    category or place): a second petition under a used id, or a retry that changed
    it. Answered 409 and nothing stored, so neither is lost without the sender
    knowing."""

    code = "conflict"
    text = _("Mã phản ánh của hệ thống gửi đã được dùng cho một phản ánh khác")


class DuplicateSubmission(AlreadyDelivered):
    """The channel already delivered this petition (a retry): nothing new."""

    code = "duplicate"
    text = _("Phản ánh này đã được gửi trước đó")
