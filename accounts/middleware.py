from django.shortcuts import redirect
from django.urls import reverse

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
