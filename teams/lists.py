"""The registry's four lists (villages, teams, members, activities): how each is found, filtered
and exported, for a commune's pages (teams/views.py) and for a whole province's export, which
is made in the background (``province_file``, registered with exports.jobs in teams/apps.py)."""

from dataclasses import dataclass

from django.core.files import File
from django.http import QueryDict
from django.shortcuts import get_object_or_404

from exports.jobs import Built
from portal import permissions
from portal.text import as_id
from teams import excel
from teams.forms import ActivityFilterForm, MemberFilterForm, TeamFilterForm, VillageFilterForm
from teams.models import Activity, Member, Province, Team, Village

PROVINCE_EXPORT = "teams.province_list"  # the kind of exports.models.Export that province_file makes


@dataclass
class CommuneList:
    template: str
    filter_form: type
    model: type  # its manager's visible_to(user) is what the user may see (portal/scoping.py)
    export: excel.Export
    filename: str  # of the export, before the commune's (or province's) codename
    commune_lookup: str = "commune"  # from a record to its commune

    def records(self, user, commune):
        """The commune's records that ``user`` sees, before filters."""
        return self.model.objects.visible_to(user).filter(**{self.commune_lookup: commune})

    def province_records(self, user, province):
        """The whole province's records that ``user`` sees, before filters."""
        return self.model.objects.visible_to(user).filter(**{f"{self.commune_lookup}__province": province})


COMMUNE_LISTS = {
    "village": CommuneList("teams/village_list.html", VillageFilterForm, Village, excel.VILLAGES, "thon"),
    "team": CommuneList("teams/team_list.html", TeamFilterForm, Team, excel.TEAMS, "to-cnscd"),
    "member": CommuneList(
        "teams/member_list.html", MemberFilterForm, Member, excel.MEMBERS, "thanh-vien", "team__commune"
    ),
    "activity": CommuneList("teams/activity_list.html", ActivityFilterForm, Activity, excel.ACTIVITIES, "hoat-dong"),
}


def province_records(user, province, name, query):
    """Every record of the list ``name`` in ``province`` that ``user`` sees and the list's filters
    (a QueryDict) keep, ``xa`` for one commune; rows come commune by commune."""
    kind = COMMUNE_LISTS[name]
    records = kind.province_records(user, province)
    commune = as_id(query.get("xa"))
    if commune is not None:
        records = records.filter(**{f"{kind.commune_lookup}_id": commune})
    records = kind.filter_form(query, commune=None).apply(records)
    return records.order_by(f"{kind.commune_lookup}__name", f"{kind.commune_lookup}_id", *records.query.order_by)


def province_in_scope(user, params):
    """The province of a province-wide list, if ``user`` may export it: their department's only."""
    province = get_object_or_404(Province.objects.visible_to(user), pk=params["province"])
    permissions.require(user, "registry.export_province")
    return province


def province_file(user, params):
    """A whole province's list as .xlsx for the user who asked, checked again now: their
    department's province only. ``params``: the list's name, the province and the query string."""
    province = province_in_scope(user, params)
    kind = COMMUNE_LISTS[params["list"]]
    records = province_records(user, province, params["list"], QueryDict(params["query"]))
    output = kind.export.write(records, province_wide=True)
    filename = f"{kind.filename}-{province.codename}.xlsx"
    return Built(filename, File(output, name=filename))
