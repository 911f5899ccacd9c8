import uuid

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db import IntegrityError, transaction
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from exports import jobs
from portal import kept, permissions, spreadsheets
from portal.text import as_id
from portal.uploads import stored_file_response
from teams import excel, lists
from teams.forms import (
    ActivityFilterForm,
    ActivityForm,
    DecisionForm,
    MemberForm,
    TeamForm,
    VillageCloseForm,
    VillageForm,
)
from teams.history import history_of
from teams.models import Activity, ActivityPhoto, Commune, Decision, Member, Province, Team, Village
from teams.stats import activity_summary, commune_summary


@login_required
def commune_detail(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user).select_related("province"), pk=pk)
    context = {"commune": commune, "summary": commune_summary(commune), "activity": activity_summary(commune)}
    return render(request, "teams/commune_detail.html", context)


@login_required
def team_detail(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune", "village"), pk=pk)
    members = team.members.active_on().by_role()
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


# The commune's lists (teams/lists.py): one view for the page and one for the .xlsx of every list,
# with the same search, filters and sort; the URL says which list (teams/urls.py passes ``name``) -----

PAGE_SIZE = 50


def page_of(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("trang"))


def filtered(request, commune, name):
    """The list's filter form bound to the query string, and the records it keeps."""
    kind = lists.COMMUNE_LISTS[name]
    form = kind.filter_form(request.GET, commune=commune)
    return form, form.apply(kind.records(request.user, commune))


@login_required
def commune_list(request, pk, name):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    form, records = filtered(request, commune, name)
    context = {"commune": commune, "form": form, "page": page_of(request, records)}
    return render(request, lists.COMMUNE_LISTS[name].template, context)


def back_to_the_list(request, url):
    """A file asked with a filter that does not validate is not made (it would hold the records
    the filter meant to leave out): the list shows what is wrong."""
    messages.error(request, "Chưa xuất Excel: bộ lọc có giá trị không hợp lệ. Hãy sửa rồi xuất lại.")
    return redirect(f"{url}?{request.GET.urlencode()}")


@login_required
def commune_export(request, pk, name):
    """Every record the list's filters keep (no page limit), streamed: bounded memory."""
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    form, records = filtered(request, commune, name)
    if form.not_applied:
        return back_to_the_list(request, reverse(f"teams:{name}_list", args=[commune.pk]))
    kind = lists.COMMUNE_LISTS[name]
    return kind.export.response(records, f"{kind.filename}-{commune.codename}.xlsx")


@login_required
@require_POST
def province_export(request, pk, name):
    """Queues a whole province's list as .xlsx for its department (teams/lists.py makes it in the
    background) and shows its state; the list's filters come in the query string, ``xa`` keeps one commune."""
    province = get_object_or_404(Province.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "registry.export_province")
    form = lists.COMMUNE_LISTS[name].filter_form(request.GET, commune=None)
    form.apply(lists.COMMUNE_LISTS[name].model.objects.none())
    if form.not_applied:  # as for one commune's list: not a file of what the filter meant to leave out
        fields = ", ".join(str(field.label) for field in form.not_applied)
        messages.error(request, f"Chưa xuất Excel: bộ lọc có giá trị không hợp lệ ({fields}). Hãy sửa rồi xuất lại.")
        back = request.META.get("HTTP_REFERER", "")
        safe = url_has_allowed_host_and_scheme(back, {request.get_host()}, request.is_secure())
        return redirect(back if safe else reverse("dashboards:home"))
    params = {"list": name, "province": province.pk, "query": request.GET.urlencode()}
    filtered_note = ", có lọc" if params["query"] else ""
    title = f"{lists.COMMUNE_LISTS[name].export.title} của {province.name} (Excel{filtered_note})"
    return redirect(jobs.start(request.user, lists.PROVINCE_EXPORT, params, title))


@login_required
def village_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "village.manage")
    form = VillageForm(request.POST or None, instance=Village(commune=commune, kind=commune.village_kind))
    if request.method == "POST" and form.is_valid():
        village = form.save()
        messages.success(request, f"Đã thêm {village.name}.")
        return redirect("teams:village_list", pk=commune.pk)
    return render(request, "teams/village_form.html", {"commune": commune, "form": form})


@login_required
def village_edit(request, pk):
    village = get_object_or_404(Village.objects.visible_to(request.user).select_related("commune"), pk=pk)
    permissions.require(request.user, "village.manage")
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
    permissions.require(request.user, "village.manage")
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
    permissions.require(request.user, "member.manage")
    form = MemberForm(request.POST or None, instance=Member(team=team))
    if request.method == "POST" and form.is_valid():
        member = form.save()
        messages.success(request, f"Đã thêm thành viên {member.full_name}.")
        if request.GET.get("tiep"):  # "Lưu và thêm người tiếp theo": a new form for the same team
            return redirect("teams:member_add", pk=team.pk)
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/member_form.html", {"team": team, "form": form})


@login_required
def member_edit(request, pk):
    member = get_object_or_404(Member.objects.visible_to(request.user).select_related("team"), pk=pk)
    permissions.require(request.user, "member.manage")
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


def _client_uuid(request):
    """The idempotency key the team lead's phone made for this entry (static/offline.js), or None."""
    try:
        return uuid.UUID(request.POST.get("client_uuid", ""))
    except ValueError:
        return None


def _save_activity(request, team):
    """(activity, form): the activity made from the POST, or the one the same entry already made.

    A retry (the phone never saw the answer) carries the same client UUID: it finds the
    existing row, never a second one, even when both requests arrive at once.
    """
    key = _client_uuid(request)
    mine = Activity.objects.filter(client_uuid=key, created_by=request.user) if key else Activity.objects.none()
    if existing := mine.first():
        return existing, None
    form = ActivityForm(request.POST, request.FILES)
    form.instance.team = team
    form.instance.client_uuid = key
    form.instance.created_by = request.user
    if not form.is_valid():
        return None, form
    try:
        with transaction.atomic():
            form.save()
            form.save_photos()
    except IntegrityError:
        if existing := mine.first():
            return existing, None
        form.add_error(None, "Mục này đã được gửi từ một tài khoản khác.")
        return None, form
    return form.instance, form


@login_required
def activity_add(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "activity.manage")
    form = ActivityForm(initial={"date": timezone.localdate()})
    if request.method == "POST":
        activity, form = _save_activity(request, team)
        if activity is not None and form is None:  # sent before: show what it made
            return redirect("teams:activity_detail", pk=activity.pk)
        if activity is not None:
            messages.success(request, "Đã ghi hoạt động. Cảm ơn bạn!")
            return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/activity_form.html", {"team": team, "form": form})


@login_required
@require_POST
def activity_sync(request, pk):
    """An activity queued on the team lead's phone while offline, sent when the network returns.

    Takes the activity form's fields and ``client_uuid``; answers JSON, so that the phone
    removes the entry (``ok``) or shows the refusal with the typed values (400).
    """
    # Refusals in JSON, so that the phone tells them from a stale session (the CSRF page, 403):
    # a refused entry is shown to the lead, a stale session is tried again later.
    try:
        team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
        permissions.require(request.user, "activity.manage")
    except Http404:
        return JsonResponse({"ok": False, "errors": {"__all__": ["Không tìm thấy tổ này."]}}, status=404)
    except PermissionDenied:
        return JsonResponse({"ok": False, "errors": {"__all__": [permissions.REFUSAL]}}, status=403)
    if _client_uuid(request) is None:
        return JsonResponse({"ok": False, "errors": {"__all__": ["Thiếu mã của mục gửi từ máy."]}}, status=400)
    activity, form = _save_activity(request, team)
    if activity is None:
        return JsonResponse({"ok": False, "errors": {k: list(v) for k, v in form.errors.items()}}, status=400)
    return JsonResponse({"ok": True, "id": activity.pk, "created": form is not None})


@login_required
def team_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "team.manage")
    form = TeamForm(request.POST or None, commune=commune)
    if request.method == "POST" and form.is_valid():
        team = form.save()
        messages.success(request, f"Đã thêm {team.name}.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"commune": commune, "form": form})


@login_required
def team_edit(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune"), pk=pk)
    permissions.require(request.user, "team.manage")
    form = TeamForm(request.POST or None, instance=team, commune=team.commune)
    if request.method == "POST" and form.is_valid():
        form.save()
        messages.success(request, f"Đã lưu {team.name}.")
        return redirect("teams:team_detail", pk=team.pk)
    return render(request, "teams/team_form.html", {"commune": team.commune, "form": form, "team": team})


@login_required
def decision_add(request, pk):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "decision.manage")
    # From a team's page (?to=): that team ticked, and back to its page once saved.
    team = Team.objects.filter(commune=commune, pk=as_id(request.GET.get("to"))).first()
    initial = {"teams": [team]} if team else None
    form = DecisionForm(request.POST or None, request.FILES or None, commune=commune, initial=initial)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        messages.success(request, f"Đã lưu {decision}.")
        return redirect("teams:team_detail", pk=team.pk) if team else redirect("teams:team_list", pk=commune.pk)
    return render(request, "teams/decision_form.html", {"commune": commune, "form": form})


@login_required
def decision_edit(request, pk):
    """Correct a decision's details or replace its signed file; the earlier version, its file
    included, stays in the decision's history."""
    decision = get_object_or_404(Decision.objects.visible_to(request.user).select_related("commune"), pk=pk)
    permissions.require(request.user, "decision.manage")
    form = DecisionForm(request.POST or None, request.FILES or None, instance=decision, commune=decision.commune)
    if request.method == "POST" and form.is_valid():
        decision = form.save()
        messages.success(request, f"Đã lưu {decision}.")
        return redirect("teams:team_list", pk=decision.commune_id)
    context = {"commune": decision.commune, "form": form, "decision": decision}
    return render(request, "teams/decision_form.html", context)


@login_required
def decision_file(request, pk):
    """The signed PDF, only to those who see the decision (media URLs are not scoped)."""
    decision = get_object_or_404(Decision.objects.visible_to(request.user), pk=pk)
    if not decision.file:
        raise Http404("Quyết định chưa có bản ký.")
    filename = f"Quyet-dinh-{decision.number.replace('/', '-')}.pdf"
    return stored_file_response(decision.file.open("rb"), filename, "application/pdf")


# Excel templates and imports: the same three views serve villages and members; the URL
# says which (teams/urls.py passes ``name``) ----------------------------------------------

IMPORTS = {
    # name in URLs and the session -> (the sheet of a commune, the list shown after importing)
    "village": (excel.village_sheet, "teams:village_list"),
    "member": (excel.member_sheet, "teams:member_list"),
}

CHANGED_MEANWHILE = "Sổ theo dõi của xã vừa được sửa trong lúc nhập, trùng với một dòng của tệp. Hãy tải tệp lên lại."
TEMPLATE_NAMES = {"village": "thon-to-dan-pho", "member": "thanh-vien"}  # the files' names, in Vietnamese


@login_required
def template_download(request, pk, name):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    make_sheet, _ = IMPORTS[name]
    response = HttpResponse(excel.template(make_sheet(commune)), content_type=excel.XLSX_TYPE)
    response["Content-Disposition"] = f'attachment; filename="mau-{TEMPLATE_NAMES[name]}-{commune.codename}.xlsx"'
    return response


def _kept_file(commune, name):
    return f"{name}_import_{commune.pk}"


@login_required
def import_preview(request, pk, name):
    """Upload (POST) shows a preview; nothing is saved until import_confirm. The rows parsed for
    the preview are kept in the default storage under a random name that only the session
    knows, so the confirmation neither receives the file again nor reads it a second time."""
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, f"{name}.import")
    make_sheet, _ = IMPORTS[name]
    sheet = make_sheet(commune)
    context = {"commune": commune, "sheet": sheet, "name": name}
    if request.method == "POST":
        data = b""
        try:
            data = spreadsheets.read_upload(request.FILES.get("file"))  # by its size first
            context["result"] = excel.parse(sheet, excel.read_rows(data))
        except excel.ExcelFileError as error:
            context["file_error"] = str(error)
        key = _kept_file(commune, name)
        kept.forget(request, key)
        result = context.get("result")
        if result and result.values and not result.errors:  # only a file that can be confirmed is kept
            kept.keep(request, key, excel.kept_values(result), ".json")
    return render(request, "teams/excel_import.html", context)


@login_required
@require_POST
def import_confirm(request, pk, name):
    commune = get_object_or_404(Commune.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, f"{name}.import")
    make_sheet, list_url = IMPORTS[name]
    sheet = make_sheet(commune)
    try:
        data = kept.take(request, _kept_file(commune, name))
        if data is None:
            messages.error(request, "Không tìm thấy tệp đã tải lên. Hãy tải tệp lên lại.")
            return redirect(f"teams:{name}_import", pk=commune.pk)
        rows, skipped = excel.restored_values(sheet, data)
    except (OSError, excel.ExcelFileError) as error:
        message = str(error) if isinstance(error, excel.ExcelFileError) else "Hãy tải tệp lên lại."
        messages.error(request, f"Chưa nhập {sheet.noun} nào. {message}")
        return redirect(f"teams:{name}_import", pk=commune.pk)
    try:
        with transaction.atomic():
            # The registry may have changed since the preview: rows now there are skipped, a row
            # its rules now refuse (a team that got its Tổ trưởng) stops the whole import.
            created, newly_there = excel.save_rows(commune, sheet, rows, request.user)
    except excel.ExcelFileError as error:
        messages.error(request, f"Chưa nhập {sheet.noun} nào. {error}")
        return redirect(f"teams:{name}_import", pk=commune.pk)
    except IntegrityError:  # a record typed in a form meanwhile, which the database's rules refuse twice
        messages.error(request, f"Chưa nhập {sheet.noun} nào. {CHANGED_MEANWHILE}")
        return redirect(f"teams:{name}_import", pk=commune.pk)
    messages.success(request, f"Đã nhập {created} {sheet.noun}; bỏ qua {skipped + newly_there} dòng trùng.")
    return redirect(list_url, pk=commune.pk)


# Activities -------------------------------------------------------------------------------


def team_activities(request, team):
    """One team's activities (a team lead's list), filtered as the query string says."""
    form = ActivityFilterForm(request.GET)
    return form, form.apply(Activity.objects.visible_to(request.user).filter(team=team))


@login_required
def team_activity_list(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user).select_related("commune"), pk=pk)
    form, activities = team_activities(request, team)
    context = {"team": team, "form": form, "page": page_of(request, activities)}
    return render(request, "teams/activity_list.html", context)


@login_required
def team_activity_export(request, pk):
    team = get_object_or_404(Team.objects.visible_to(request.user), pk=pk)
    form, activities = team_activities(request, team)
    if form.not_applied:
        return back_to_the_list(request, reverse("teams:team_activity_list", args=[team.pk]))
    return excel.ACTIVITIES.response(activities, f"hoat-dong-to-{team.pk}.xlsx")


@login_required
def activity_detail(request, pk):
    activity = get_object_or_404(
        Activity.objects.visible_to(request.user).select_related("team", "commune", "created_by"), pk=pk
    )
    context = {"activity": activity, "photos": activity.photos.all()}
    return render(request, "teams/activity_detail.html", context)


@login_required
def activity_edit(request, pk):
    activity = get_object_or_404(Activity.objects.visible_to(request.user).select_related("team"), pk=pk)
    permissions.require(request.user, "activity.manage")
    form = ActivityForm(request.POST or None, request.FILES or None, instance=activity)
    if request.method == "POST" and form.is_valid():
        with transaction.atomic():
            form.save()
            form.save_photos()
        messages.success(request, "Đã lưu hoạt động.")
        return redirect("teams:activity_detail", pk=activity.pk)
    return render(request, "teams/activity_form.html", {"team": activity.team, "form": form, "activity": activity})


@login_required
@require_POST
def activity_delete(request, pk):
    activity = get_object_or_404(Activity.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "activity.manage")
    with transaction.atomic():
        remove_files_on_commit([photo.image for photo in activity.photos.all()])
        activity.delete()  # its photos go with it; the month's counts are recounted
    messages.success(request, f"Đã xóa hoạt động ngày {activity.date:%d/%m/%Y} ({activity.get_kind_display()}).")
    return redirect("teams:team_activity_list", pk=activity.team_id)


@login_required
@require_POST
def activity_photo_delete(request, pk):
    photo = get_object_or_404(ActivityPhoto.objects.visible_to(request.user), pk=pk)
    permissions.require(request.user, "activity.manage")
    with transaction.atomic():
        remove_files_on_commit([photo.image])
        photo.delete()
    messages.success(request, "Đã xóa ảnh.")
    return redirect("teams:activity_detail", pk=photo.activity_id)


def remove_files_on_commit(files):
    """Delete the stored files once the rows that name them are gone for good."""
    names = [(file.storage, file.name) for file in files if file]
    transaction.on_commit(lambda: [storage.delete(name) for storage, name in names])


@login_required
def activity_photo(request, pk):
    photo = get_object_or_404(ActivityPhoto.objects.visible_to(request.user), pk=pk)
    return stored_file_response(photo.image.open("rb"), inline=True)
