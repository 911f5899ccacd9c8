"""The files a user asked to be made in the background: their list, each one's state, the download."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from exports import jobs
from exports.models import Export
from portal import permissions
from portal.uploads import stored_file_response

RECENT = 50


@login_required
def export_list(request):
    permissions.require(request.user, "export.list")
    exports = Export.objects.filter(user=request.user)[:RECENT]
    return render(request, "exports/export_list.html", {"exports": exports, "keep_days": settings.EXPORT_KEEP_DAYS})


@login_required
def export_detail(request, pk):
    """The state of one file; the page reloads itself until the file is made (static/refresh.js)."""
    export = get_object_or_404(Export.objects.visible_to(request.user), pk=pk)
    jobs.check_access(request.user, export)
    return render(request, "exports/export_detail.html", {"export": export, "keep_days": settings.EXPORT_KEEP_DAYS})


@login_required
def export_download(request, pk):
    export = get_object_or_404(Export.objects.visible_to(request.user).filter(status=Export.Status.DONE), pk=pk)
    jobs.check_access(request.user, export)  # the user's scope now, not when the file was made
    try:
        stored = export.file.open("rb")
    except FileNotFoundError as error:  # removed from the store since (pruned)
        raise Http404 from error
    return stored_file_response(stored, filename=export.filename)
