"""Issuing one-time links (the link, its QR code, its e-mail), and deleting spent ones."""

import segno
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from accounts.mail import send_one_time_link
from accounts.models import OneTimeLink
from portal import housekeeping
from portal.pdfs import html_to_pdf


def issue_link(request, user, send_mail=True):
    """A new one-time link for ``user`` (earlier ones stop working); e-mailed when they have an address.

    Returns a dict the pages and the handover sheet show: user, url, expires, qr (SVG data URI).
    """
    link, token = OneTimeLink.issue(user, created_by=request.user)
    url = request.build_absolute_uri(reverse("accounts:set_password", args=[token]))
    expires = timezone.localtime(link.expires_at).strftime("%H:%M ngày %d/%m/%Y")
    if send_mail and user.email:
        send_one_time_link.enqueue(user.email, str(user), user.username, url, expires)
    return {"user": user, "url": url, "expires": expires, "qr": segno.make(url, error="m").svg_data_uri(scale=3)}


def handover_pdf(commune, issued):
    """The commune's handover sheet: each account's login, one-time link (text and QR code), expiry."""
    fonts = (settings.BASE_DIR / "static" / "fonts" / "liberation-serif.css").as_uri()
    html = render_to_string(
        "accounts/handover.html",
        {"commune": commune, "issued": issued, "fonts": fonts, "today": timezone.localdate()},
    )
    return html_to_pdf(html)  # fetches only the portal's own static files


def prune_spent_links():
    """Deletes the links used, or left unused until they expired, more than
    ONE_TIME_LINK_KEEP_DAYS days ago; returns how many. A link still usable is never touched."""
    moment = housekeeping.days_ago(settings.ONE_TIME_LINK_KEEP_DAYS)
    return OneTimeLink.objects.spent_before(moment).delete()[0]
