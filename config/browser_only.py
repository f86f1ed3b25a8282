"""Middleware only browsers need, passed by the machine doors.

The intake API and Open311 (feedback.integrations.doors) are called by systems
with an API key or no authentication at all, never with a session: sessions,
login, second factor, messages and the cache headers of private pages have
nothing to do there. Each of them costs the API's requests a
few dozen microseconds, together about a tenth of what a petition costs to
receive (bench/intake_http.py). So the site's middleware are listed in
settings.MIDDLEWARE as these subclasses, which hand a machine door's request
straight on and do everything else as before. Subclasses, so that Django's own
checks still find the middleware they look for (the admin's, for one). CSRF
and the frame header stay for every door: Django's deploy check looks for those
two by name, and the API's views are exempt from CSRF anyway.
"""

from django.contrib.auth.middleware import AuthenticationMiddleware as _Authentication
from django.contrib.messages.middleware import MessageMiddleware as _Messages
from django.contrib.sessions.middleware import SessionMiddleware as _Sessions
from django_otp.middleware import OTPMiddleware as _OTP

from config.security import PrivatePagesMiddleware as _PrivatePages
from feedback.integrations.doors import is_machine_door
from workflow.staff_login.middleware import SecondFactorMiddleware as _SecondFactor


class _BrowserOnly:
    def __call__(self, request):
        if is_machine_door(request.path_info):
            return self.get_response(request)
        return super().__call__(request)


class SessionMiddleware(_BrowserOnly, _Sessions):
    pass


class AuthenticationMiddleware(_BrowserOnly, _Authentication):
    pass


class OTPMiddleware(_BrowserOnly, _OTP):
    pass


class SecondFactorMiddleware(_BrowserOnly, _SecondFactor):
    pass


class PrivatePagesMiddleware(_BrowserOnly, _PrivatePages):
    pass


class MessageMiddleware(_BrowserOnly, _Messages):
    pass
