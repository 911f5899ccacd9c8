from django.conf import settings
from django.shortcuts import redirect
from django.urls import reverse
from django_otp import user_has_device

# Pages a user who must change their password can still reach.
ALLOWED = ("password_change", "password_change_done", "logout")


class ForcePasswordChangeMiddleware:
    """Someone else chose this user's password (User.must_change_password): they choose their own first."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated and user.must_change_password:
            allowed = {reverse(name) for name in ALLOWED}
            if request.path not in allowed and not request.path.startswith("/static/"):
                return redirect("password_change")
        return self.get_response(request)


# Pages a user who still owes their second factor can reach.
OTP_ALLOWED = ("accounts:otp_verify", "accounts:otp_enrol", "logout")


class TwoFactorMiddleware:
    """Roles in REQUIRE_2FA_ROLES confirm each login with a TOTP code (or a backup code).

    A user with no device yet is sent to enrol one; the OTP middleware of django-otp, before
    this one, tells whether this session has been verified.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.role in settings.REQUIRE_2FA_ROLES
            and not user.is_verified()
            and not request.path.startswith("/static/")
            and request.path not in {reverse(name) for name in OTP_ALLOWED}
        ):
            target = "accounts:otp_verify" if user_has_device(user) else "accounts:otp_enrol"
            return redirect(target)
        return self.get_response(request)
