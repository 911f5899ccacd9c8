""" "Quên mật khẩu?" with a limit: each request may send an e-mail, so someone who knows an address
could flood it (and the portal's mail reputation) by asking again and again.

At most PASSWORD_RESET_LIMIT requests per e-mail address typed, and PASSWORD_RESET_ADDRESS_LIMIT per
client address, in PASSWORD_RESET_WINDOW_MINUTES; shared by every process through the database.
Past a limit the page says how long to wait, whether or not an account has that address (the
count is of what was typed), so it tells nothing about who has an account.
"""

import hashlib
import math
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.forms import PasswordResetForm
from django.contrib.auth.views import PasswordResetView
from django.utils import timezone

from accounts.forms import EMAIL_INVALID
from accounts.models import PasswordResetRequest
from accounts.throttle import client_address
from portal import housekeeping
from portal.text import CleanTextMixin

MESSAGE = "Bạn đã yêu cầu đặt lại mật khẩu nhiều lần. Vui lòng kiểm tra hộp thư, hoặc thử lại sau {minutes} phút."


def _digest(email):
    return hashlib.sha256(email.strip().lower().encode()).hexdigest()


def minutes_to_wait(email, address):
    """0 if a reset for ``email`` from ``address`` may be sent now, else the minutes until it may."""
    window = timedelta(minutes=settings.PASSWORD_RESET_WINDOW_MINUTES)
    recent = PasswordResetRequest.objects.filter(requested_at__gte=timezone.now() - window)
    limits = [(recent.filter(email_digest=_digest(email)), settings.PASSWORD_RESET_LIMIT)]
    if address:
        limits.append((recent.filter(address=address), settings.PASSWORD_RESET_ADDRESS_LIMIT))
    waits = []
    for requests, limit in limits:
        times = list(requests.order_by("-requested_at").values_list("requested_at", flat=True)[:limit])
        if len(times) >= limit:  # the oldest of the last ``limit`` leaves the window first
            seconds = (times[-1] + window - timezone.now()).total_seconds()
            waits.append(max(1, math.ceil(seconds / 60)))
    return max(waits, default=0)


class ResetForm(CleanTextMixin, PasswordResetForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["email"].error_messages["invalid"] = EMAIL_INVALID


class ThrottledPasswordResetView(PasswordResetView):
    form_class = ResetForm

    def form_valid(self, form):
        email, address = form.cleaned_data["email"], client_address(self.request)
        minutes = minutes_to_wait(email, address)
        if minutes:
            form.add_error(None, MESSAGE.format(minutes=minutes))
            return self.render_to_response(self.get_context_data(form=form), status=429)
        PasswordResetRequest.objects.create(email_digest=_digest(email), address=address)
        return super().form_valid(form)


def prune_reset_requests():
    """Requests older than a day: the limits look back PASSWORD_RESET_WINDOW_MINUTES only."""
    return PasswordResetRequest.objects.filter(requested_at__lt=housekeeping.days_ago(1)).delete()[0]
