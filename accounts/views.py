import datetime

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST
from django_otp import login as otp_login
from django_otp import match_token, user_has_device

from accounts import audit, managing, onboarding, twofactor
from accounts.forms import UserFilterForm, UserForm
from accounts.links import handover_pdf, issue_link
from accounts.models import OneTimeLink
from portal import kept, permissions, spreadsheets, vietnamese
from portal.text import CleanTextMixin
from teams import excel
from teams.models import Commune, Province

ISSUED_LINKS = "accounts:issued-links"  # session key: links shown once on the next page


def _filtered(users, form):
    if not form.is_valid():
        return users
    data = form.cleaned_data
    if data["q"]:
        q = data["q"]
        users = users.filter(Q(username__icontains=q) | Q(full_name__icontains=q) | Q(email__icontains=q))
    if data["vai_tro"]:
        users = users.filter(role=data["vai_tro"])
    if data.get("tinh"):
        users = users.filter(province=data["tinh"])
    if data["xa"]:
        users = users.filter(commune=data["xa"])
    if data["trang_thai"]:
        users = users.filter(is_active=data["trang_thai"] == "hoat-dong")
    month_ago = timezone.now() - datetime.timedelta(days=30)
    if data["dang_nhap"] == "chua":
        users = users.filter(last_login__isnull=True)
    elif data["dang_nhap"] == "30-ngay":
        users = users.filter(last_login__gte=month_ago)
    elif data["dang_nhap"] == "lau":
        users = users.filter(last_login__lt=month_ago)
    return users


@login_required
def user_list(request):
    managing.require_manager(request.user)
    form = UserFilterForm(request.GET or None, manager=request.user)
    users = managing.users_managed_by(request.user).select_related("province", "commune", "team")
    users = _filtered(users, form).order_by("province__name", "commune__name", "role", "username")
    page = Paginator(users, 50).get_page(request.GET.get("trang"))
    context = {"form": form, "page": page, "can_audit": permissions.can(request.user, "login_audit.view")}
    if permissions.can(request.user, "user.onboard") and request.user.province_id:
        context["onboarding_url"] = reverse("accounts:onboarding", args=[request.user.province_id])
    commune = form.cleaned_data.get("xa") if form.is_valid() else None
    if commune is not None:  # one of the manager's communes (the filter offers no other)
        context["handover"] = {
            "commune": commune,
            "count": managing.awaiting_handover(request.user).filter(commune=commune).count(),
        }
    return render(request, "accounts/user_list.html", context)


def _remember_links(request, issued):
    request.session[ISSUED_LINKS] = [
        {
            "name": str(item["user"]),
            "username": item["user"].username,
            "commune_pk": item["user"].commune_id,
            "commune": item["user"].commune.name if item["user"].commune_id else "",
            **{k: item[k] for k in ("url", "expires", "qr")},
        }
        for item in issued
    ]


@login_required
def user_add(request):
    managing.require_manager(request.user)
    form = UserForm(request.POST or None, manager=request.user)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            user = form.save(commit=False)
            user.set_unusable_password()  # they choose it themselves through the one-time link
            user.save()
            issued = issue_link(request, user)
        _remember_links(request, [issued])
        messages.success(request, f"Đã tạo tài khoản {user.username}.")
        return redirect("accounts:user_edit", user.pk)
    return render(request, "accounts/user_form.html", {"form": form})


@login_required
def user_edit(request, pk):
    managing.require_manager(request.user)
    account = get_object_or_404(managing.users_managed_by(request.user), pk=pk)
    form = UserForm(request.POST or None, instance=account, manager=request.user)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu tài khoản {account.username}.")
        return redirect("accounts:user_edit", account.pk)
    issued = request.session.pop(ISSUED_LINKS, [])
    context = {"form": form, "account": account, "issued": issued}
    return render(request, "accounts/user_form.html", context)


@login_required
@require_POST
def user_set_active(request, pk, active):
    managing.require_manager(request.user)
    account = get_object_or_404(managing.users_managed_by(request.user).exclude(pk=request.user.pk), pk=pk)
    account.is_active = active
    account.save(update_fields=["is_active"])
    verb = "mở lại" if active else "khóa"
    messages.success(request, f"Đã {verb} tài khoản {account.username}.")
    return redirect("accounts:user_edit", account.pk)


@login_required
@require_POST
def user_reset_password(request, pk):
    """The old password stops working; the user chooses a new one through a one-time link."""
    managing.require_manager(request.user)
    account = get_object_or_404(managing.users_managed_by(request.user).exclude(pk=request.user.pk), pk=pk)
    with transaction.atomic():
        account.set_unusable_password()
        account.save(update_fields=["password"])
        issued = issue_link(request, account)
    _remember_links(request, [issued])
    messages.success(request, f"Đã đặt lại mật khẩu của {account.username}: gửi cho họ liên kết dưới đây.")
    return redirect("accounts:user_edit", account.pk)


def set_password(request, token):
    """The one-time link: anyone holding it chooses the account's password, once, before it expires."""
    link = OneTimeLink.find(token)
    if link is None:
        return render(request, "accounts/link_used.html", status=410)
    form = SetPasswordForm(link.user, request.POST or None)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            if not link.use():
                return render(request, "accounts/link_used.html", status=410)
            user = form.save(commit=False)
            user.must_change_password = False
            user.save()
        messages.success(request, "Đã đặt mật khẩu. Mời bạn đăng nhập bằng mật khẩu vừa đặt.")
        return redirect("login")
    return render(request, "accounts/set_password.html", {"form": form, "account": link.user})


# Onboarding from Excel -----------------------------------------------------------------------

ONBOARDING_FILE = "accounts:onboarding-{}"  # session key of the previewed file (portal.kept), read again on confirm


def _onboarding_province(request, pk):
    province = get_object_or_404(Province.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "user.onboard")
    return province


@login_required
def onboarding_template(request, pk):
    province = _onboarding_province(request, pk)
    sheet = onboarding.onboarding_sheet(province, request.user)
    response = HttpResponse(excel.template(sheet), content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-tai-khoan-{province.codename}.xlsx"'
    return response


@login_required
def onboarding_preview(request, pk):
    """Upload (POST) shows the accounts the file would create; nothing is saved until confirm."""
    province = _onboarding_province(request, pk)
    context = {"province": province}
    if request.method == "POST":
        key = ONBOARDING_FILE.format(province.pk)
        data = b""
        try:
            data = spreadsheets.read_upload(request.FILES.get("file"))  # by its size first
            context["result"], context["accounts"] = onboarding.parse(province, request.user, data)
        except excel.ExcelFileError as error:
            context["file_error"] = str(error)
        result = context.get("result")
        if result and context["accounts"] and not result.errors:
            kept.keep(request, key, data, ".xlsx")
        else:
            kept.forget(request, key)
    return render(request, "accounts/onboarding.html", context)


@login_required
@require_POST
def onboarding_confirm(request, pk):
    province = _onboarding_province(request, pk)
    try:
        data = kept.take(request, ONBOARDING_FILE.format(province.pk))
    except OSError:
        data = None
    if data is None:
        messages.error(request, "Không tìm thấy tệp đã tải lên. Hãy tải tệp lên lại.")
        return redirect("accounts:onboarding", pk=province.pk)
    # Read again: accounts may have been created since the preview.
    result, accounts = onboarding.parse(province, request.user, data)
    if result.errors:
        messages.error(request, "Tệp có lỗi, chưa tạo tài khoản nào. Hãy sửa rồi tải lên lại.")
        return redirect("accounts:onboarding", pk=province.pk)
    with transaction.atomic():
        for account in accounts:
            account.save()
        issued = [issue_link(request, account) for account in accounts]
    _remember_links(request, issued)
    messages.success(
        request, f"Đã tạo {len(accounts)} tài khoản; bỏ qua {len(result.duplicates)} dòng đã có tài khoản."
    )
    return redirect("accounts:onboarding_done", pk=province.pk)


@login_required
def onboarding_done(request, pk):
    """The links of the accounts just created (shown once), and the handover sheet of each commune."""
    province = _onboarding_province(request, pk)
    issued = request.session.pop(ISSUED_LINKS, [])
    communes = {item["commune_pk"]: item["commune"] for item in issued if item.get("commune_pk")}
    context = {
        "province": province,
        "issued": issued,
        "communes": sorted(communes.items(), key=lambda c: vietnamese.sort_key(c[1])),
    }
    if not issued:  # a revisit: where the sheets of the communes still waiting can be printed again
        counts = dict(
            managing.awaiting_handover(request.user)
            .filter(commune__province=province)
            .values_list("commune")
            .annotate(n=Count("pk"))
        )
        waiting = Commune.objects.filter(pk__in=counts)
        context["waiting"] = sorted(
            ((commune, counts[commune.pk]) for commune in waiting), key=lambda c: vietnamese.sort_key(c[0].name)
        )
    return render(request, "accounts/onboarding_done.html", context)


@login_required
@require_POST
def handover_sheet(request, pk):
    """A printable PDF of new one-time links for the commune's accounts that have never logged in.

    The links replace any earlier ones of those accounts (also those sent by e-mail).
    """
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=pk)
    managing.require_manager(request.user)
    accounts = (
        managing.awaiting_handover(request.user)
        .filter(commune=commune)
        .select_related("team")
        .order_by("role", "full_name")
    )
    with transaction.atomic():
        issued = [issue_link(request, account, send_mail=False) for account in accounts]
    pdf = handover_pdf(commune, issued)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="phieu-ban-giao-{commune.codename}.pdf"'
    return response


# Login audit ------------------------------------------------------------------------------


@login_required
def login_audit(request):
    """Logins, logouts, failed logins and lockouts (django-axes' records), newest first."""
    permissions.require(request.user, "login_audit.view")
    page = Paginator(audit.events_for(request.user, request.GET.get("q", "").strip()), 50).get_page(
        request.GET.get("trang")
    )
    return render(request, "accounts/login_audit.html", {"page": page, "q": request.GET.get("q", "")})


# Two-factor sign-in ---------------------------------------------------------------------------


class CodeForm(CleanTextMixin, forms.Form):
    code = forms.CharField(
        label="Mã xác thực",
        max_length=16,
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric"}),
    )


@login_required
def otp_enrol(request):
    """Scan the QR code with an authenticator app, type its code: the device is confirmed."""
    if user_has_device(request.user):
        return redirect("accounts:otp_verify")
    device = twofactor.pending_totp(request.user)
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if device.verify_token(form.cleaned_data["code"].replace(" ", "")):
            device.confirmed = True
            device.save(update_fields=["confirmed"])
            otp_login(request, device)
            codes = twofactor.new_backup_codes(request.user)
            return render(request, "accounts/otp_backup_codes.html", {"codes": codes})
        form.add_error("code", "Mã không đúng. Hãy nhập mã đang hiện trên ứng dụng (6 chữ số).")
    context = {"form": form, "qr": twofactor.qr_code(device), "secret": device.bin_key.hex()}
    return render(request, "accounts/otp_enrol.html", context)


@login_required
def otp_verify(request):
    form = CodeForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        device = match_token(request.user, form.cleaned_data["code"].replace(" ", ""))
        if device is not None:
            otp_login(request, device)
            return redirect(settings.LOGIN_REDIRECT_URL)
        form.add_error("code", "Mã không đúng hoặc đã dùng. Hãy nhập mã đang hiện trên ứng dụng, hoặc một mã dự phòng.")
    return render(request, "accounts/otp_verify.html", {"form": form})


@login_required
@require_POST
def otp_reset(request, pk):
    """An administrator removes a user's second factor (a lost phone); they enrol again at next login."""
    permissions.require(request.user, "user.reset_2fa")
    account = get_object_or_404(managing.users_managed_by(request.user), pk=pk)
    twofactor.reset(account)
    messages.success(
        request, f"Đã xóa xác thực hai bước của {account.username}; họ sẽ đăng ký lại ở lần đăng nhập sau."
    )
    return redirect("accounts:user_edit", account.pk)
