"""The second sign-in step: verify a code, enrol an app, renew recovery codes."""

from urllib.parse import parse_qs, urlencode, urlparse

import segno
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.debug import sensitive_post_parameters
from django_otp import login as otp_login
from django_otp import user_has_device

from workflow.links import next_url
from workflow.staff_login import devices
from workflow.staff_login.forms import CodeForm


@sensitive_post_parameters("code")
@login_required
def verify(request):
    """Ask for the code of the staff member's app (or a recovery code)."""
    user = request.user
    if user.is_verified():
        return redirect(_next(request))
    if not user_has_device(user):
        return redirect(_with_next(request, "staff_login:enrol"))
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        device = devices.verified_device(user, form.cleaned_data["code"])
        if device is not None:
            otp_login(request, device)
            return redirect(_next(request))
        form.add_error("code", _wrong_code(user))
        status = 400
    return render(
        request,
        "registration/two_factor_verify.html",
        {"form": form, "next": _next(request)},
        status=status,
    )


@sensitive_post_parameters("code")
@login_required
def enrol(request):
    """Pair an authenticator app: show its key, confirm with the first code."""
    user = request.user
    if user_has_device(user):
        return redirect(_with_next(request, "staff_login:verify"))
    device = devices.pending_totp_device(user)
    form = CodeForm(request.POST or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        codes = devices.confirm_totp_device(device, form.cleaned_data["code"])
        if codes is not None:
            otp_login(request, device)
            return _show_codes(request, codes)
        form.add_error("code", _("Mã không đúng. Nhập mã đang hiện trên ứng dụng."))
        status = 400
    uri = device.config_url
    context = {
        "form": form,
        "next": _next(request),
        "otpauth_uri": uri,
        "secret": _secret_of(uri),
        "qr_svg": segno.make(uri, error="m").svg_inline(scale=4, light="#fff"),
    }
    return render(request, "registration/two_factor_enrol.html", context, status=status)


@login_required
def recovery_codes(request):
    """How many recovery codes are left; a verified session may renew them."""
    if not request.user.is_verified():
        return redirect(_with_next(request, "staff_login:verify"))
    if request.method == "POST":
        return _show_codes(request, devices.new_recovery_codes(request.user))
    return render(
        request,
        "registration/recovery_codes.html",
        {"left": devices.recovery_codes_left(request.user), "next": _next(request)},
    )


def _show_codes(request, codes):
    grouped = [f"{code[:5]}-{code[5:]}" for code in codes]
    return render(
        request,
        "registration/recovery_codes.html",
        {"codes": grouped, "next": _next(request)},
    )


def _wrong_code(user) -> str:
    wait = devices.throttled_seconds(user)
    if wait > 0:
        return _("Đã nhập sai nhiều lần. Vui lòng thử lại sau %(seconds)d giây.") % {
            "seconds": wait
        }
    return _("Mã không đúng hoặc đã hết hạn.")


def _secret_of(uri: str) -> str:
    secret = parse_qs(urlparse(uri).query)["secret"][0]
    return " ".join(secret[i : i + 4] for i in range(0, len(secret), 4))


def _next(request) -> str:
    return next_url(request, reverse("workflow:home"))


def _with_next(request, name) -> str:
    return f"{reverse(name)}?{urlencode({'next': _next(request)})}"
