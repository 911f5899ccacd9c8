from django import forms
from django.contrib import admin
from simple_history.admin import SimpleHistoryAdmin

from portal.text import CleanTextMixin
from teams.forms import TeamForm, clean_dissolved_on
from teams.models import Activity, Commune, Decision, Member, Province, Team, Village


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "division_type", "closed_on"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["code", "name", "kind", "province", "closed_on"]
    list_filter = ["kind", "province"]
    search_fields = ["name", "codename"]


@admin.register(Village)
class VillageAdmin(SimpleHistoryAdmin):
    list_display = ["name", "kind", "commune", "households", "closed_on"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune"]


@admin.register(Team)
class TeamAdmin(SimpleHistoryAdmin):
    class Form(CleanTextMixin, forms.ModelForm):
        """The dissolution day checked as the team form checks it (teams/forms.py)."""

        class Meta:
            model = Team
            fields = ["commune", *TeamForm.Meta.fields]

        def clean(self):
            return clean_dissolved_on(self, super().clean())

    form = Form
    list_display = ["name", "level", "commune", "village", "status", "dissolved_on"]
    list_filter = ["level", "status"]
    search_fields = ["name", "commune__name"]
    autocomplete_fields = ["commune", "village"]


@admin.register(Member)
class MemberAdmin(SimpleHistoryAdmin):
    list_display = ["full_name", "role", "origin", "team", "phone", "left_on"]
    search_fields = ["full_name", "phone"]
    autocomplete_fields = ["team"]


@admin.register(Decision)
class DecisionAdmin(SimpleHistoryAdmin):
    list_display = ["number", "signed_on", "kind", "commune"]
    search_fields = ["number"]
    autocomplete_fields = ["commune", "teams"]


@admin.register(Activity)
class ActivityAdmin(admin.ModelAdmin):
    list_display = ["date", "kind", "team", "people_helped"]
    list_filter = ["kind"]
    autocomplete_fields = ["team"]
