import base64

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db import transaction
from django.db.models import Count, Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from portal.roles import Role
from portal.scoping import require_role
from teams import excel
from teams.forms import ActivityForm, DecisionForm, MemberForm, TeamForm, VillageCloseForm, VillageForm
from teams.history import history_of
from teams.models import ActivityPhoto, Commune, Member, Team, Village
from teams.stats import activity_summary, commune_summary


@login_required
def commune_detail(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=pk)
    context = {"commune": commune, "summary": commune_summary(commune), "activity": activity_summary(commune)}
    return render(request, "teams/commune_detail.html", context)


@login_required
def team_detail(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune", "village"), pk=pk)
    members = team.members.active_on()
    activities = team.activities.all()[:10]
    decisions = team.decisions.all()
    return render(
        request,
        "teams/team_detail.html",
        {
            "team": team,
            "members": members,
            "activities": activities,
            "history": history_of(team),
            "decisions": decisions,
        },
    )


@login_required
def village_list(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    villages = Village.objects.filter(commune=commune).order_by("closed_on", "name")
    return render(request, "teams/village_list.html", {"commune": commune, "villages": villages})


@login_required
def village_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = VillageForm(request.POST or None, instance=Village(commune=commune))
    if request.method == "POST" and form.is_valid():
        village = form.save()
        messages.success(request, f"Đã thêm {village.name}.")
        return redirect("teams:village_list", pk=commune.pk)
    return render(request, "teams/village_form.html", {"commune": commune, "form": form})


@login_required
def village_edit(request, pk):
    village = get_object_or_404(Village.objects.visible_to(request.user).select_related("commune"), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = VillageForm(request.POST or None, instance=village)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu {village.name}.")
        return redirect("teams:village_list", pk=village.commune_id)
    return render(request, "teams/village_form.html", {"commune": village.commune, "form": form, "village": village})


@login_required
@require_POST
def village_close(request, pk):
    village = get_object_or_404(Village.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = VillageCloseForm(request.POST, instance=village)
    if form.is_valid():
        form.save()
        messages.success(request, f"Đã ghi nhận {village.name} giải thể/sáp nhập.")
    else:
        messages.error(request, " ".join(form.errors.get("closed_on", ["Ngày không hợp lệ."])))
    return redirect("teams:village_list", pk=village.commune_id)


@login_required
def member_add(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE, Role.TEAM_LEAD)
    form = MemberForm(request.POST or None, instance=Member(team=team))
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, f"Đã thêm thành viên {member.full_name}.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/member_form.html", {"team": team, "form": form})


@login_required
def member_edit(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("team"), pk=pk)
    require_role(request.user, Role.COMMUNE, Role.TEAM_LEAD)
    form = MemberForm(request.POST or None, instance=member)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu thông tin {member.full_name}.")
        return redirect("teams:member_detail", pk=member.pk)
    return render(request, "teams/member_form.html", {"team": member.team, "form": form, "member": member})


@login_required
def member_detail(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("team"), pk=pk)
    return render(request, "teams/member_detail.html", {"member": member, "history": history_of(member)})


@login_required
def activity_add(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE, Role.TEAM_LEAD)
    form = ActivityForm(request.POST or None, request.FILES or None, initial={"date": timezone.localdate()})
    form.instance.team = team
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.instance.created_by = request.user
            activity = form.save()
            if form.cleaned_data.get("photos"):
                ActivityPhoto.objects.create(activity=activity, image=form.cleaned_data["photos"])
        messages.success(request, "Đã ghi hoạt động. Cảm ơn bạn!")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/activity_form.html", {"team": team, "form": form})


@login_required
def team_list(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    teams = (
        Team.objects.filter(commune=commune)
        .select_related("village")
        .annotate(
            active_members=Count(
                "members", filter=Q(members__left_on__isnull=True) | Q(members__left_on__gt=timezone.localdate())
            )
        )
    )
    return render(request, "teams/team_list.html", {"commune": commune, "teams": teams})


@login_required
def team_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = TeamForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        messages.success(request, f"Đã thêm {team.name}.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"commune": commune, "form": form})


@login_required
def team_edit(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune"), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = TeamForm(request.POST or None, instance=team, commune=team.commune)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu {team.name}.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"commune": team.commune, "form": form, "team": team})


@login_required
def decision_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    form = DecisionForm(request.POST or None, request.FILES or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        messages.success(request, f"Đã lưu {decision}.")
        return redirect("teams:team_list", pk=commune.pk)
    return render(request, "teams/decision_form.html", {"commune": commune, "form": form})


def xlsx_response(data, filename):
    response = HttpResponse(data, content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


@login_required
def member_export(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    members = list(Member.objects.filter(team__commune=commune).select_related("team"))
    return xlsx_response(excel.export_members(members), f"thanh-vien-{commune.codename}.xlsx")


@login_required
def member_template(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    return xlsx_response(excel.member_template(commune), "mau-thanh-vien.xlsx")


@login_required
def member_import(request, pk):
    """Upload (POST) shows a preview; nothing is saved until member_import_confirm."""
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    context = {"commune": commune}
    upload = request.FILES.get("file")
    if request.method == "POST":
        try:
            data = upload.read() if upload else b""
            if not data:
                raise excel.ExcelFileError("Hãy chọn tệp Excel (.xlsx) để tải lên.")
            result = excel.parse_members(commune, excel.read_rows(data))
        except excel.ExcelFileError as error:
            context["file_error"] = str(error)
        else:
            request.session[f"member_import_{commune.pk}"] = base64.b64encode(data).decode()
            context["result"] = result
    return render(request, "teams/member_import.html", context)


@login_required
@require_POST
def member_import_confirm(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    require_role(request.user, Role.COMMUNE)
    stored = request.session.pop(f"member_import_{commune.pk}", None)
    if stored is None:
        messages.error(request, "Không tìm thấy tệp đã tải lên. Hãy tải tệp lên lại.")
        return redirect("teams:member_import", pk=commune.pk)
    result = excel.parse_members(commune, excel.read_rows(base64.b64decode(stored)))
    if result.errors:
        messages.error(request, "Tệp có lỗi, chưa nhập thành viên nào. Hãy sửa rồi tải lên lại.")
        return redirect("teams:member_import", pk=commune.pk)
    with transaction.atomic():
        for member in result.members:
            member.save()
    messages.success(request, f"Đã nhập {len(result.members)} thành viên; bỏ qua {len(result.duplicates)} dòng trùng.")
    return redirect("teams:team_list", pk=commune.pk)


MEMBER_SORTS = {"ten": "full_name", "to": "team__name", "vai-tro": "role", "ngay": "-joined_on"}


@login_required
def member_list(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    members = Member.objects.visible_to(request.user).filter(team__commune=commune).select_related("team")
    query = request.GET.get("q", "").strip()
    if query:
        members = members.filter(Q(full_name__icontains=query) | Q(phone__contains=query))
    if request.GET.get("role") in Member.Role.values:
        members = members.filter(role=request.GET["role"])
    if request.GET.get("trang-thai") != "tat-ca":
        members = members.active_on()
    members = members.order_by(MEMBER_SORTS.get(request.GET.get("sap-xep"), "team__name"), "full_name")
    page = Paginator(members, 50).get_page(request.GET.get("trang"))
    context = {"commune": commune, "page": page, "query": query, "roles": Member.Role.choices}
    return render(request, "teams/member_list.html", context)
