"""A request's language lasts as long as the request.

Django's LocaleMiddleware activates the visitor's language in the thread that
serves the request and leaves it active there afterwards. Whatever that thread
runs next outside a request then speaks the last visitor's language: in the test
suite, every test after one English request (a test client runs in the test's
thread), so that a receipt or letter rendered later came out in English.

This middleware is Django's, plus: when the response is finished (Django's
`request_finished`, sent after the last chunk of a streamed body too, so a CSV
export streams in the request's language to its end), the thread gets back the
language it had before the request.
"""

from asgiref.local import Local
from django.core.signals import request_finished
from django.middleware.locale import LocaleMiddleware as DjangoLocaleMiddleware
from django.utils import translation

_before = Local()


class LocaleMiddleware(DjangoLocaleMiddleware):
    def __init__(self, get_response):
        super().__init__(get_response)
        request_finished.connect(
            restore_language, dispatch_uid="config.i18n.restore_language"
        )

    def process_request(self, request):
        _before.language = translation.get_language()
        super().process_request(request)


def restore_language(**kwargs):
    """The thread's language before the request (request_finished receiver)."""
    language = getattr(_before, "language", None)
    if language is None:  # a request that did not pass this middleware
        return
    del _before.language
    translation.activate(language)
