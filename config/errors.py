"""What a request gets when something fails: each door answers in its own format.

While the database is unreachable every request that needs it gets 503 with
Retry-After (the middleware below catches the error a view raises; `server_error`
catches it anywhere else, and any other failure gets 500). The intake API answers
JSON, Open311 its `errors` document in JSON or XML, and web pages a plain page of
the site in the visitor's language, rendered without the database (no menu, no
user), since that is what failed.
"""

import logging
import sys

from django.db import InterfaceError, OperationalError
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext_lazy as _

logger = logging.getLogger(__name__)

# How long a client is asked to wait: about what a supervised restart takes.
RETRY_AFTER_SECONDS = 30


def is_database_unavailable(error: BaseException | None) -> bool:
    """The database refused or lost the connection (or any transient failure of
    its own, PostgreSQL's "operational" errors), as opposed to a bug of ours."""
    return isinstance(error, (OperationalError, InterfaceError))


class DatabaseUnavailableMiddleware:
    """503 with Retry-After for a view that found the database unreachable.

    A middleware sees the view's exception before Django turns it into a 500, in
    DEBUG too (`make run`), where `server_error` is not used.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not is_database_unavailable(exception):
            return None
        logger.error("Database unavailable: %s", str(exception).strip())
        return unavailable(request)


def not_found(request, exception=None):
    """handler404: a machine door's own format for an unknown path (a client
    reads its errors there); the site's page elsewhere."""
    from feedback.integrations.doors import door_refusal

    refusal = door_refusal(
        request,
        404,
        "not_found",
        "No such resource.",
        open311_message="No such resource (Open311 resources end in .json or .xml).",
    )
    return refusal or page(request, 404)


def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: most often a form left open past its session (a phone
    put away mid-petition). The site's page says what to do, in the visitor's
    language; Django's own is an English page for developers."""
    return page(request, 403, reason="csrf")


def server_error(request):
    """handler500: 503 if the failure was the database's, else 500."""
    if is_database_unavailable(sys.exc_info()[1]):
        return unavailable(request)
    return failure_response(request, 500)


def unavailable(request) -> HttpResponse:
    response = failure_response(request, 503)
    response["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def failure_response(request, status: int) -> HttpResponse:
    """The answer of the door the request came in by."""
    from feedback.integrations.doors import door_refusal

    code, message = MACHINE_MESSAGES[status]
    return door_refusal(request, status, code, message) or page(request, status)


MACHINE_MESSAGES = {
    500: ("server_error", "The server failed to answer; the request was not saved."),
    503: (
        "unavailable",
        "The service is temporarily unavailable; nothing was saved. "
        f"Try again in {RETRY_AFTER_SECONDS} seconds.",
    ),
}


# The site's page for each status (title, message); other 4xx as 400.
PAGES = {
    400: (
        _("Yêu cầu không hợp lệ"),
        _(
            "Địa chỉ hoặc dữ liệu gửi lên có ký tự không đọc được (không phải "
            "UTF-8, hoặc ký tự NUL), hoặc quá lớn. Không có gì được lưu. Vui lòng "
            "quay lại và gửi lại."
        ),
    ),
    # Says nothing about whether the thing exists: a foreign petition's page
    # answers this too (README, "Security").
    404: (
        _("Không tìm thấy trang"),
        _(
            "Không có trang nào ở địa chỉ này mà bạn được xem. Vui lòng kiểm tra "
            "lại địa chỉ hoặc mã phản ánh."
        ),
    ),
    "csrf": (
        _("Biểu mẫu đã hết hạn"),
        _(
            "Trang này đã mở quá lâu hoặc trình duyệt không gửi cookie, nên thông "
            "tin vừa gửi chưa được lưu. Vui lòng quay lại, tải lại trang rồi gửi lại."
        ),
    ),
    500: (
        _("Đã có lỗi xảy ra"),
        _(
            "Hệ thống gặp lỗi khi xử lý yêu cầu của bạn. Thông tin bạn vừa gửi "
            "chưa được lưu. Vui lòng thử lại sau."
        ),
    ),
    503: (
        _("Hệ thống tạm thời gián đoạn"),
        _(
            "Hệ thống đang tạm thời không truy cập được dữ liệu. Thông tin bạn "
            "vừa gửi chưa được lưu. Vui lòng thử lại sau ít phút."
        ),
    ),
}


def page(request, status: int, *, reason: str | None = None) -> HttpResponse:
    """The site's plain page for `status` (or for `reason`, a key of PAGES), in
    the visitor's language, without the database (config.boundary's refusals come
    here too)."""
    language = translation.get_language_from_request(request)
    title, message = PAGES.get(reason or status) or PAGES[400 if status < 500 else 500]
    with translation.override(language):
        context = {
            "status": status,
            "language": translation.get_language(),
            "title": str(title),
            "message": str(message),
        }
        body = render_to_string("errors/failure.html", context)
    return HttpResponse(body, status=status, content_type="text/html; charset=utf-8")
