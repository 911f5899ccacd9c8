import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import SetPasswordForm
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from accounts import managing
from accounts.forms import UserFilterForm, UserForm
from accounts.links import issue_link
from accounts.models import OneTimeLink

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
    communes = managing.communes_for(request.user)
    return render(request, "accounts/user_list.html", {"form": form, "page": page, "communes": communes})


def _remember_links(request, issued):
    request.session[ISSUED_LINKS] = [
        {"name": str(item["user"]), "username": item["user"].username, **{k: item[k] for k in ("url", "expires", "qr")}}
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
