"""The registry: administrative units, villages, teams, their members, decisions and activities."""

import datetime
import enum
from collections import defaultdict

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import connection, models, transaction
from django.db.models import Count, Exists, F, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, Lower, TruncMonth
from django.db.models.lookups import GreaterThan
from django.utils import timezone
from simple_history.models import HistoricalRecords

from portal import vietnamese
from portal.collation import NameField
from portal.models import User, units_moving
from portal.scoping import ScopedQuerySet


def stored(obj, path):
    """What the database holds at ``path`` (a lookup) for ``obj``'s row; None for a new object.
    What a save is about to change, so that the kept counts it moved from are recounted too."""
    if obj.pk is None:
        return None
    return type(obj)._default_manager.filter(pk=obj.pk).values_list(path, flat=True).first()


class OpenQuerySet(ScopedQuerySet):
    """Units are closed, never deleted, when they merge or split: old reports still name them."""

    def open_on(self, day=None):
        day = day or timezone.localdate()
        return self.filter(Q(closed_on__isnull=True) | Q(closed_on__gt=day))

    def lock(self, ids):
        """Locks the rows of these units until the transaction ends, so that a second recount (or
        import) of the same unit waits for the first to commit, then reads what it wrote.
        FOR NO KEY UPDATE: rows that merely point at the unit can still be inserted. In id order,
        so two transactions never wait for each other; .order_by("pk") also keeps Commune's
        Meta.ordering from joining provinces, and locking their rows too."""
        list(self.select_for_update(no_key=True).filter(pk__in=sorted(ids)).order_by("pk").values_list("pk"))


class Province(models.Model):
    """Tỉnh or thành phố trung ương, from the vietnam-provinces package."""

    code = models.PositiveIntegerField("mã", unique=True)
    name = NameField("tên", max_length=100)
    codename = models.CharField("mã tên", max_length=100)
    division_type = models.CharField("loại", max_length=40)
    closed_on = models.DateField("ngày giải thể", null=True, blank=True)

    objects = OpenQuerySet.as_manager()
    scope_paths = {"province": "pk", "commune": "communes", "team": None}

    class Meta:
        ordering = ["code"]
        verbose_name = "tỉnh/thành phố"
        verbose_name_plural = "tỉnh/thành phố"

    def __str__(self):
        return self.name

    @property
    def short_name(self):
        """'Thành phố Hải Phòng' -> 'Hải Phòng'."""
        for prefix in ("Thành phố ", "Tỉnh "):
            if self.name.startswith(prefix):
                return self.name[len(prefix) :]
        return self.name


class Commune(models.Model):
    class Kind(models.TextChoices):
        XA = "xa", "Xã"
        PHUONG = "phuong", "Phường"
        DAC_KHU = "dac_khu", "Đặc khu"

    province = models.ForeignKey(
        Province, verbose_name="tỉnh/thành phố", on_delete=models.PROTECT, related_name="communes"
    )
    code = models.PositiveIntegerField("mã", unique=True)
    name = NameField("tên", max_length=100)
    codename = models.CharField("mã tên", max_length=100)
    kind = models.CharField("loại", max_length=10, choices=Kind.choices)
    area_km2 = models.DecimalField("diện tích (km²)", max_digits=9, decimal_places=2, null=True, blank=True)
    population = models.PositiveIntegerField("dân số", null=True, blank=True)
    closed_on = models.DateField("ngày giải thể", null=True, blank=True)

    objects = OpenQuerySet.as_manager()
    scope_paths = {"province": "province", "commune": "pk", "team": None}

    class Meta:
        ordering = ["province__code", "name"]
        verbose_name = "xã/phường"
        verbose_name_plural = "xã/phường"
        indexes = [models.Index(fields=["province", "name"])]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        """Save; a commune moved to another province (an administrative reorganisation) takes its
        accounts with it, and moves its activities from one province's kept monthly totals to the
        other's."""
        with transaction.atomic(savepoint=False):
            before = stored(self, "province_id")
            moving = before is not None and before != self.province_id
            with units_moving(moving):
                super().save(*args, **kwargs)
                if moving:
                    User.objects.filter(commune=self).update(province_id=self.province_id)
            if moving:
                ProvinceActivityMonth.objects.recount_provinces({before, self.province_id})

    @property
    def short_name(self):
        """'Xã Hà Tây' -> 'Hà Tây': the place name of the date line."""
        prefix = self.get_kind_display() + " "
        return self.name[len(prefix) :] if self.name.startswith(prefix) else self.name

    @property
    def committee_name(self):
        """'UBND xã Hà Tây'."""
        return f"UBND {self.name[0].lower()}{self.name[1:]}"

    @property
    def kind_word(self):
        """'xã', 'phường' or 'đặc khu', as in "Lãnh đạo UBND phường"."""
        return self.get_kind_display().lower()

    @property
    def village_kind(self):
        """The kind a new village takes by default: a ward is made of tổ dân phố, a commune of thôn."""
        return Village.Kind.TO_DAN_PHO if self.kind == self.Kind.PHUONG else Village.Kind.THON

    @property
    def village_word(self):
        """'thôn' or 'tổ dân phố', for labels such as "Thêm tổ dân phố"."""
        return Village.Kind(self.village_kind).label.lower()

    @property
    def villages_heading(self):
        """The heading of the village list: "Tổ dân phố" in a ward, "Thôn, tổ dân phố" elsewhere."""
        return "Tổ dân phố" if self.kind == self.Kind.PHUONG else "Thôn, tổ dân phố"


class Village(models.Model):
    class Kind(models.TextChoices):
        THON = "thon", "Thôn"
        BAN = "ban", "Bản"
        TO_DAN_PHO = "to_dan_pho", "Tổ dân phố"
        KHU_DAN_CU = "khu_dan_cu", "Khu dân cư"
        AP = "ap", "Ấp"

    commune = models.ForeignKey(Commune, verbose_name="xã/phường", on_delete=models.PROTECT, related_name="villages")
    name = NameField("tên", max_length=100)
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.THON)
    households = models.PositiveIntegerField("số hộ", null=True, blank=True)
    population = models.PositiveIntegerField("số nhân khẩu", null=True, blank=True)
    closed_on = models.DateField("ngày giải thể/sáp nhập", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = OpenQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": "teams"}
    history = HistoricalRecords()

    class Meta:
        ordering = ["commune", "name"]
        verbose_name = "thôn/tổ dân phố"
        verbose_name_plural = "thôn/tổ dân phố"
        constraints = [
            # "Thôn Đông" and "thôn đông" are one village: unique whatever the case, as the form says.
            models.UniqueConstraint(
                Lower("name"), "commune", condition=Q(closed_on__isnull=True), name="unique_open_village_name"
            )
        ]

    def __str__(self):
        return self.name


class CountedQuerySet(ScopedQuerySet):
    """Teams and members written in bulk (queryset update and delete, bulk_create and
    bulk_update, which Django runs as updates: the admin, imports, scripts) recount the kept
    counts of their communes (CommuneCount), as Model.save() and delete() do one by one."""

    commune_path = None  # how a row reaches its commune's id

    def communes(self):
        """The ids of the communes these rows belong to."""
        return set(self.order_by().values_list(self.commune_path, flat=True).distinct())

    def update(self, **kwargs):
        with transaction.atomic(savepoint=False):
            # The same rows before and after: a filter on what the update changes would lose them.
            rows = self.model.objects.filter(pk__in=list(self.values_list("pk", flat=True)))
            before = rows.communes()
            result = super(CountedQuerySet, rows).update(**kwargs)
            CommuneCount.objects.refresh(before | rows.communes())
        return result

    def delete(self):
        with transaction.atomic(savepoint=False):
            communes = self.communes()
            result = super().delete()
            CommuneCount.objects.refresh(communes)
        return result

    def bulk_create(self, objs, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            created = super().bulk_create(objs, *args, **kwargs)
            CommuneCount.objects.refresh(self.communes_of(created))
        return created


class TeamQuerySet(CountedQuerySet):
    commune_path = "commune_id"

    def active(self):
        return self.filter(status=Team.Status.ACTIVE)

    def active_on(self, day=None):
        """Teams working on ``day`` (today by default): those dissolved after it, and the active ones
        but for the replacement of one of those (an active team entered after ``day`` in a village
        whose team was dissolved after ``day``: on that day the village had the other). A team
        dissolved on a day no one recorded (before dissolved_on existed) counts on no day."""
        day = day or timezone.localdate()
        dissolved_after = Q(status=Team.Status.DISSOLVED, dissolved_on__gt=day)
        replaced = Team.objects.filter(dissolved_after, village=OuterRef("village"))
        replacement = Q(created_at__date__gt=day) & Exists(replaced)
        return self.filter((Q(status=Team.Status.ACTIVE) & ~replacement) | dissolved_after)

    def communes_of(self, teams):
        return {team.commune_id for team in teams}


class Team(models.Model):
    class Level(models.TextChoices):
        COMMUNE = "commune", "Cấp xã"
        VILLAGE = "village", "Cấp thôn"

    class Status(models.TextChoices):
        ACTIVE = "active", "Đang hoạt động"
        DISSOLVED = "dissolved", "Đã giải thể"

    commune = models.ForeignKey(Commune, verbose_name="xã/phường", on_delete=models.PROTECT, related_name="teams")
    village = models.ForeignKey(
        Village, verbose_name="thôn/tổ dân phố", null=True, blank=True, on_delete=models.PROTECT, related_name="teams"
    )
    name = NameField("tên tổ", max_length=200)
    level = models.CharField("cấp", max_length=10, choices=Level.choices, default=Level.VILLAGE)
    status = models.CharField("trạng thái", max_length=10, choices=Status.choices, default=Status.ACTIVE)
    dissolved_on = models.DateField("ngày giải thể", null=True, blank=True)
    zalo_url = models.URLField("nhóm Zalo", blank=True)
    zalo_planned_month = models.DateField("tháng dự kiến lập nhóm Zalo", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = TeamQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": "pk"}
    history = HistoricalRecords()

    class Meta:
        ordering = ["commune", "level", "name"]
        verbose_name = "tổ CNSCĐ"
        verbose_name_plural = "tổ CNSCĐ"
        constraints = [
            models.UniqueConstraint(
                fields=["village"], condition=Q(status="active"), name="one_active_team_per_village"
            ),
            # A village team has its village; a commune team has none.
            models.CheckConstraint(
                condition=Q(level="village", village__isnull=False) | Q(level="commune", village__isnull=True),
                name="team_level_matches_village",
            ),
            # An active team has no dissolution date; a dissolved one may lack it (dissolved before
            # the date was kept).
            models.CheckConstraint(
                condition=Q(status="dissolved") | Q(dissolved_on__isnull=True),
                name="dissolved_on_only_when_dissolved",
                violation_error_message="Tổ đang hoạt động không có ngày giải thể: hãy xóa ngày giải thể.",
            ),
        ]

    def __str__(self):
        return self.name

    @property
    def status_text(self):
        """ "Đang hoạt động", or "Đã giải thể ngày 31/10/2025" when the day is known (its page, the list)."""
        if self.dissolved_on:
            return f"{self.get_status_display()} ngày {vietnamese.short_date(self.dissolved_on)}"
        return self.get_status_display()

    def save(self, *args, **kwargs):
        """Save, and recount the kept counts of its commune (and of the one it was in, if the
        admin moved it): a team dissolved or reactivated takes its members with it. A team moved
        to another commune takes its lead's account and its activities, with their monthly counts."""
        with transaction.atomic(savepoint=False):
            before = stored(self, "commune_id")
            moving = before is not None and before != self.commune_id
            with units_moving(moving):
                super().save(*args, **kwargs)
                if moving:
                    province_id = Commune.objects.filter(pk=self.commune_id).values_list("province_id", flat=True).get()
                    User.objects.filter(team=self).update(commune_id=self.commune_id, province_id=province_id)
            if moving:
                activities = Activity.objects.filter(team=self).order_by()
                months = set(activities.annotate(month=TruncMonth("date")).values_list("month", flat=True).distinct())
                activities.update(commune_id=self.commune_id)
                ActivityMonth.objects.refresh({(c, month) for c in (before, self.commune_id) for month in months})
            CommuneCount.objects.refresh({self.commune_id, before})

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            result = super().delete(*args, **kwargs)
            CommuneCount.objects.refresh({self.commune_id})
        return result


class Decision(models.Model):
    """A decision of the commune's People's Committee founding or re-composing teams."""

    class Kind(models.TextChoices):
        FOUNDING = "founding", "Thành lập"
        RECOMPOSITION = "recomposition", "Kiện toàn"

    commune = models.ForeignKey(Commune, verbose_name="xã/phường", on_delete=models.PROTECT, related_name="decisions")
    teams = models.ManyToManyField(Team, verbose_name="các tổ", related_name="decisions")
    kind = models.CharField("loại", max_length=20, choices=Kind.choices, default=Kind.FOUNDING)
    number = models.CharField("số", max_length=50, help_text="Ví dụ: 241/QĐ-UBND")
    signed_on = models.DateField("ngày ký")
    issuer = models.CharField("cơ quan ban hành", max_length=200)
    file = models.FileField("bản ký (PDF)", upload_to="decisions/%Y/", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": "teams"}
    # A corrected number or date, another file, the teams it names: each version is kept (a
    # replaced signed file stays in the store for the version that names it, teams/views.py).
    history = HistoricalRecords(m2m_fields=[teams])

    class Meta:
        ordering = ["-signed_on"]
        verbose_name = "quyết định"
        verbose_name_plural = "quyết định"

    def __str__(self):
        return f"Quyết định số {self.number}"


def active_member(day, path=""):
    """The condition that a member (reached through ``path``, e.g. "members__") had joined and
    not yet left on ``day``: the one definition of an active member."""
    joined = Q(**{f"{path}joined_on__isnull": True}) | Q(**{f"{path}joined_on__lte": day})
    not_left = Q(**{f"{path}left_on__isnull": True}) | Q(**{f"{path}left_on__gt": day})
    return joined & not_left


# The years of birth a member may have (the form, the Excel import and the database agree).
BIRTH_YEARS = (1920, 2015)


class MemberQuerySet(CountedQuerySet):
    commune_path = "team__commune_id"

    def communes_of(self, members):
        return set(Team.objects.filter(pk__in={m.team_id for m in members}).values_list("commune_id", flat=True))

    def active_on(self, day=None):
        """Members who had joined and not yet left on ``day`` (today by default)."""
        return self.filter(active_member(day or timezone.localdate()))

    def current_leads(self):
        """The Tổ trưởng who have not left (no leave date): a team has one at a time (the member
        form and the member import check it, the constraint one_current_lead_per_team holds it)."""
        return self.filter(role=Member.Role.LEAD, left_on__isnull=True)

    def by_role(self):
        """Tổ trưởng, then tổ phó, then the members, each by name (the codes sort otherwise)."""
        rank = models.Case(
            *(models.When(role=role, then=index) for index, role in enumerate(Member.Role.values)),
            output_field=models.IntegerField(),
        )
        return self.order_by(rank, "full_name", "pk")


class Member(models.Model):
    class Role(models.TextChoices):
        LEAD = "lead", "Tổ trưởng"
        DEPUTY = "deputy", "Tổ phó"
        MEMBER = "member", "Thành viên"

    class Origin(models.TextChoices):
        BRANCH_SECRETARY = "branch_secretary", "Bí thư chi bộ"
        VILLAGE_HEAD = "village_head", "Trưởng thôn / Tổ trưởng tổ dân phố"
        FATHERLAND_FRONT = "fatherland_front", "Mặt trận Tổ quốc"
        YOUTH_UNION = "youth_union", "Đoàn thanh niên"
        WOMEN_UNION = "women_union", "Hội Phụ nữ"
        FARMERS_UNION = "farmers_union", "Hội Nông dân"
        VETERANS = "veterans", "Hội Cựu chiến binh"
        POLICE = "police", "Công an"
        MILITARY = "military", "Quân sự"
        PRESTIGIOUS = "prestigious", "Người có uy tín"
        OFFICIAL = "official", "Cán bộ, công chức xã"
        TEACHER = "teacher", "Giáo viên"
        TELECOM = "telecom", "Nhân viên viễn thông (Viettel, VNPT...)"
        VOLUNTEER = "volunteer", "Người dân tình nguyện"
        OTHER = "other", "Khác"

    class Gender(models.TextChoices):
        MALE = "male", "Nam"
        FEMALE = "female", "Nữ"

    team = models.ForeignKey(Team, verbose_name="tổ", on_delete=models.PROTECT, related_name="members")
    full_name = NameField("họ và tên", max_length=150)
    role = models.CharField("vai trò trong tổ", max_length=10, choices=Role.choices, default=Role.MEMBER)
    origin = models.CharField("thành phần", max_length=20, choices=Origin.choices, default=Origin.VOLUNTEER)
    phone = models.CharField("số điện thoại", max_length=15, blank=True)
    gender = models.CharField("giới tính", max_length=10, choices=Gender.choices, blank=True)
    birth_year = models.PositiveSmallIntegerField("năm sinh", null=True, blank=True)
    trainings = models.PositiveSmallIntegerField("số lần tập huấn", default=0)
    joined_on = models.DateField("ngày tham gia", null=True, blank=True)
    left_on = models.DateField("ngày rời tổ", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MemberQuerySet.as_manager()
    scope_paths = {"province": "team__commune__province", "commune": "team__commune", "team": "team"}
    history = HistoricalRecords()

    class Meta:
        ordering = ["team", "role", "full_name"]
        verbose_name = "thành viên"
        verbose_name_plural = "thành viên"
        indexes = [models.Index(fields=["team", "left_on"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(joined_on__isnull=True) | Q(left_on__isnull=True) | Q(left_on__gte=F("joined_on")),
                name="member_leaves_after_joining",
            ),
            models.CheckConstraint(
                condition=Q(birth_year__isnull=True) | Q(birth_year__range=BIRTH_YEARS),
                name="member_birth_year_in_range",
            ),
            # One Tổ trưởng at a time (current_leads): the member form and the import say so first,
            # in a sentence naming the lead; this holds when two of them save at the same moment.
            models.UniqueConstraint(
                fields=["team"],
                condition=Q(role="lead", left_on__isnull=True),
                name="one_current_lead_per_team",
                violation_error_message="Tổ này đã có Tổ trưởng (chưa có ngày rời tổ).",
            ),
        ]

    def __str__(self):
        return self.full_name

    def save(self, *args, **kwargs):
        """Save, and recount the kept counts of its commune, and of the commune of the team it
        was in (moved to a team of another commune)."""
        with transaction.atomic(savepoint=False):
            before = stored(self, "team__commune_id")
            super().save(*args, **kwargs)
            CommuneCount.objects.refresh({self.team.commune_id, before})

    def delete(self, *args, **kwargs):
        with transaction.atomic(savepoint=False):
            commune_id = self.team.commune_id
            result = super().delete(*args, **kwargs)
            CommuneCount.objects.refresh({commune_id})
        return result

    @property
    def is_trained(self):
        return self.trainings > 0


class Topic(enum.IntFlag):
    """Topics of an activity, stored as bits of one integer so that millions of activities
    can be counted by topic without a join table."""

    VNEID = 1
    ONLINE_SERVICES = 2
    CASHLESS = 4
    EHEALTH = 8
    ECOMMERCE = 16
    DIGITAL_SIGNATURE = 32
    POPULATION_DATA = 64
    SCHOOL_APPS = 128
    OTHER = 256

    @property
    def label(self):
        return TOPIC_LABELS[self]

    @classmethod
    def choices(cls):
        return [(topic.value, TOPIC_LABELS[topic]) for topic in cls]

    @classmethod
    def split(cls, mask):
        """The topics set in ``mask``, in order."""
        return [topic for topic in cls if mask & topic]


TOPIC_LABELS = {
    Topic.VNEID: "VNeID",
    Topic.ONLINE_SERVICES: "Dịch vụ công trực tuyến",
    Topic.CASHLESS: "Thanh toán không dùng tiền mặt",
    Topic.EHEALTH: "Sổ sức khỏe điện tử",
    Topic.ECOMMERCE: "Thương mại điện tử",
    Topic.DIGITAL_SIGNATURE: "Chữ ký số",
    Topic.POPULATION_DATA: "Làm sạch dữ liệu dân cư",
    Topic.SCHOOL_APPS: "Ứng dụng trường học (vnEdu...)",
    Topic.OTHER: "Khác",
}


class ActivityQuerySet(ScopedQuerySet):
    def delete(self):
        """Delete, and recount the months the activities were in, as Activity.delete() does
        (the Django admin's bulk deletion comes here)."""
        with transaction.atomic():
            months = set(
                self.order_by().annotate(month=TruncMonth("date")).values_list("commune_id", "month").distinct()
            )
            result = super().delete()
            ActivityMonth.objects.refresh(months)
        return result


class Activity(models.Model):
    class Kind(models.TextChoices):
        DOOR_TO_DOOR = "door_to_door", "Hướng dẫn tận nhà"
        TRAINING = "training", "Lớp tập huấn"
        MEETING = "meeting", "Họp, sinh hoạt cộng đồng"
        SERVICE_DESK = "service_desk", "Trực tại Trung tâm phục vụ hành chính công"
        PROPAGANDA = "propaganda", "Tuyên truyền (loa, Zalo...)"

    team = models.ForeignKey(Team, verbose_name="tổ", on_delete=models.PROTECT, related_name="activities")
    # Copied from the team (Team.save moves it along if the team moves) so that province
    # dashboards over millions of activities filter and group without joining the teams table.
    commune = models.ForeignKey(Commune, on_delete=models.PROTECT, related_name="activities", editable=False)
    date = models.DateField("ngày")
    kind = models.CharField("hình thức", max_length=20, choices=Kind.choices)
    topics = models.PositiveIntegerField("nội dung", default=0)
    place = models.CharField("địa điểm", max_length=200, blank=True)
    people_helped = models.PositiveIntegerField("số người được hỗ trợ", default=0)
    households_reached = models.PositiveIntegerField("số hộ được tiếp cận", default=0)
    accounts_created = models.PositiveIntegerField("số tài khoản được tạo", default=0)
    notes = models.TextField("ghi chú", blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, editable=False
    )
    created_at = models.DateTimeField(auto_now_add=True)
    # Made by the team lead's phone when the activity was typed (possibly offline): the same
    # entry sent again after a lost answer finds this row instead of creating a second one.
    client_uuid = models.UUIDField(null=True, blank=True, unique=True, editable=False)

    objects = ActivityQuerySet.as_manager()
    scope_paths = {"province": "commune__province", "commune": "commune", "team": "team"}

    class Meta:
        ordering = ["-date", "-pk"]
        verbose_name = "hoạt động"
        verbose_name_plural = "hoạt động"
        indexes = [models.Index(fields=["commune", "date"]), models.Index(fields=["team", "date"])]

    def __str__(self):
        return f"{self.get_kind_display()} ({self.date:%d/%m/%Y})"

    def clean(self):
        """An activity records what has happened: its day is today at the latest (the local day,
        settings.TIME_ZONE). The one rule of every form that writes activities (the web form, its
        offline sync, the edit form, the admin); save() does not check it, so that scripts and the
        demo data may write any day."""
        super().clean()
        today = timezone.localdate()
        if isinstance(self.date, datetime.date) and self.date > today:
            raise ValidationError({"date": f"Ngày hoạt động không thể sau hôm nay ({today:%d/%m/%Y})."})

    def save(self, *args, **kwargs):
        """Save, and recount the months of ActivityMonth this activity is in and was in.

        ActivityMonth is a denormalisation like ``commune`` above, kept right in the same
        transaction so that dashboards stay live; bulk writes call ActivityMonth.objects.rebuild().
        """
        self.commune_id = self.team.commune_id
        with transaction.atomic():
            before = Activity.objects.filter(pk=self.pk).values_list("commune_id", "date").first() if self.pk else None
            super().save(*args, **kwargs)
            ActivityMonth.objects.refresh({(self.commune_id, self.date), *([before] if before else [])})

    def delete(self, *args, **kwargs):
        with transaction.atomic():
            result = super().delete(*args, **kwargs)
            ActivityMonth.objects.refresh({(self.commune_id, self.date)})
        return result

    @property
    def topic_list(self):
        return Topic.split(self.topics)


def first_of_month(day):
    return day.replace(day=1)


def last_of_month(day):
    return (day.replace(day=1) + datetime.timedelta(days=32)).replace(day=1) - datetime.timedelta(days=1)


def insert_rows(model, columns, rows):
    """INSERT INTO model's table (columns) SELECT ``rows`` (a values() queryset, grouped): one
    statement, whatever the number of rows, none of them through Python."""
    sql, params = rows.query.sql_with_params()
    with connection.cursor() as cursor:
        table = connection.ops.quote_name(model._meta.db_table)
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        cursor.execute(f"INSERT INTO {table} ({names}) {sql}", params)


class ActivityMonthQuerySet(models.QuerySet):
    def refresh(self, commune_days):
        """Recount the (commune, month) of each (commune_id, date) from the activities, and the
        province totals of those months (ProvinceActivityMonth)."""
        months = {(commune_id, first_of_month(day)) for commune_id, day in commune_days}
        with transaction.atomic():
            for commune_id in sorted({commune_id for commune_id, _ in months}):
                self._refresh_commune(commune_id, sorted(month for c, month in months if c == commune_id))
            ProvinceActivityMonth.objects.refresh(months)

    def _refresh_commune(self, commune_id, starts):
        # Two activities of one commune saved at once would each recount from their own view of
        # the table; locking the commune's row makes the second wait for the first to commit.
        Commune.objects.lock([commune_id])
        in_months = Q()
        for start in starts:
            in_months |= Q(date__range=(start, last_of_month(start)))
        self.filter(commune_id=commune_id, month__in=starts).delete()
        self._insert_tally(Activity.objects.filter(in_months, commune_id=commune_id))

    def rebuild(self):
        """Recount every month of every commune and province: after bulk writes to activities."""
        with transaction.atomic():
            self.all().delete()
            self._insert_tally(Activity.objects.all())
            ProvinceActivityMonth.objects.rebuild()

    def _insert_tally(self, activities):
        """INSERT INTO activity months SELECT activities grouped by commune, month and kind."""
        tally = (
            activities.order_by()
            .annotate(month_start=TruncMonth("date"))
            .values("commune_id", "month_start", "kind")
            .annotate(
                n=Count("id"),
                people_sum=Coalesce(Sum("people_helped"), 0),
                **{
                    f"n_{field}": Count("id", filter=GreaterThan(F("topics").bitand(topic.value), 0))
                    for topic, field in ActivityMonth.TOPIC_FIELDS.items()
                },
            )
        )
        columns = ["commune_id", "month", "kind", "count", "people", *ActivityMonth.TOPIC_FIELDS.values()]
        insert_rows(ActivityMonth, columns, tally)


class ActivityMonth(models.Model):
    """The activities of one commune in one month of one kind, counted: what the province and
    national dashboards add up instead of millions of activities (bench/run.py measures them).

    Rows are recounted from the activities whenever one is saved or deleted (Activity.save,
    Activity.delete and ActivityQuerySet.delete), so the figures are live, not from a nightly
    job. bulk_create and raw SQL skip them: their callers recount (refresh or rebuild).
    """

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng")  # its first day
    kind = models.CharField("hình thức", max_length=20, choices=Activity.Kind.choices)
    count = models.PositiveIntegerField("số hoạt động")
    people = models.PositiveBigIntegerField("số người được hỗ trợ")
    # Activities of the group that cover each topic (an activity may cover several).
    vneid = models.PositiveIntegerField(default=0)
    online_services = models.PositiveIntegerField(default=0)
    cashless = models.PositiveIntegerField(default=0)
    ehealth = models.PositiveIntegerField(default=0)
    ecommerce = models.PositiveIntegerField(default=0)
    digital_signature = models.PositiveIntegerField(default=0)
    population_data = models.PositiveIntegerField(default=0)
    school_apps = models.PositiveIntegerField(default=0)
    other = models.PositiveIntegerField(default=0)

    TOPIC_FIELDS = {topic: topic.name.lower() for topic in Topic}

    objects = ActivityMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "hoạt động trong tháng"
        verbose_name_plural = "hoạt động theo tháng"
        constraints = [models.UniqueConstraint(fields=["commune", "month", "kind"], name="activity_month_unique")]

    def __str__(self):
        return f"{self.commune_id} {self.month:%m/%Y} {self.kind}: {self.count}"


class ProvinceActivityMonthQuerySet(models.QuerySet):
    def refresh(self, commune_months):
        """Recount the province totals of the months of ``commune_months`` ((commune_id, first
        day of a month) pairs) from ActivityMonth, already recounted in this transaction."""
        communes = {commune_id for commune_id, _ in commune_months}
        if not communes:
            return
        with transaction.atomic(savepoint=False):
            # As ActivityMonth locks the commune, the province's row makes a second recount of the
            # same province wait for the first to commit, then read its rows. Provinces are locked
            # after communes, in one order, so two recounts cannot wait for each other.
            pairs = (
                Province.objects.select_for_update(no_key=True, of=("self",))
                .filter(communes__in=communes)
                .order_by("pk")
                .values_list("pk", "communes")
            )
            months = defaultdict(set)
            for province_id, commune_id in pairs:
                months[province_id] |= {month for c, month in commune_months if c == commune_id}
            self._recount(months)

    def recount_provinces(self, province_ids):
        """Recount every month of these provinces (a commune moved from one to the other)."""
        with transaction.atomic(savepoint=False):
            ids = sorted(province_ids)
            Province.objects.lock(ids)
            self._recount(dict.fromkeys(ids))

    def _recount(self, months):
        """Recount {province_id: months, or None for all of them}."""
        kept, counted = Q(pk__in=[]), Q(pk__in=[])
        for province_id, starts in months.items():
            in_months = {} if starts is None else {"month__in": sorted(starts)}
            kept |= Q(province_id=province_id, **in_months)
            counted |= Q(commune__province_id=province_id, **in_months)
        with transaction.atomic(savepoint=False):
            self.filter(kept).delete()
            self._insert_totals(ActivityMonth.objects.filter(counted))

    def rebuild(self):
        with transaction.atomic(savepoint=False):
            self.all().delete()
            self._insert_totals(ActivityMonth.objects.all())

    def _insert_totals(self, months):
        totals = (
            months.order_by().values("commune__province_id", "month").annotate(n=Sum("count"), people_sum=Sum("people"))
        )
        insert_rows(ProvinceActivityMonth, ["province_id", "month", "count", "people"], totals)


class ProvinceActivityMonth(models.Model):
    """The activities of one province in one month, added up from ActivityMonth in the same
    transaction: the national view reads 34 provinces × 12 months instead of 180,000 monthly
    counts of communes (bench/run.py measures it). Activities of the province's closed
    communes count here too, as they do in ActivityMonth: the national view takes them out,
    as a province's dashboard lists its open communes only."""

    province = models.ForeignKey(Province, on_delete=models.CASCADE, related_name="+")
    month = models.DateField("tháng")  # its first day
    count = models.PositiveIntegerField("số hoạt động")
    people = models.PositiveBigIntegerField("số người được hỗ trợ")

    objects = ProvinceActivityMonthQuerySet.as_manager()

    class Meta:
        verbose_name = "hoạt động của tỉnh trong tháng"
        verbose_name_plural = "hoạt động của tỉnh theo tháng"
        constraints = [models.UniqueConstraint(fields=["province", "month"], name="province_activity_month_unique")]

    def __str__(self):
        return f"{self.province_id} {self.month:%m/%Y}: {self.count}"


class CommuneCountQuerySet(models.QuerySet):
    def refresh(self, commune_ids):
        """Recount the kept counts (CommuneCount and MemberCount) of these communes from their
        teams and members: called in the transaction that changed them."""
        ids = sorted(set(commune_ids) - {None})
        if not ids:
            return
        with transaction.atomic(savepoint=False):
            # As ActivityMonth does: a second recount of the commune waits for the first to commit.
            Commune.objects.lock(ids)
            self.filter(commune_id__in=ids).delete()
            MemberCount.objects.filter(commune_id__in=ids).delete()
            self._insert(ids)

    def rebuild(self):
        """Recount every commune: after teams or members were written with raw SQL."""
        with transaction.atomic(savepoint=False):
            self.all().delete()
            MemberCount.objects.all().delete()
            self._insert(None)

    def _insert(self, ids):
        teams = Team.objects.active().order_by()
        members = Member.objects.filter(left_on__isnull=True, team__status=Team.Status.ACTIVE).order_by()
        if ids is not None:
            teams, members = teams.filter(commune_id__in=ids), members.filter(team__commune_id__in=ids)
        per_commune = teams.values("commune_id").annotate(
            n=Count("id", distinct=True), not_left=Count("members", filter=Q(members__left_on__isnull=True))
        )
        insert_rows(CommuneCount, ["commune_id", "teams", "members"], per_commune)
        per_origin = members.values("team__commune_id", "origin").annotate(
            n=Count("id"),
            n_female=Count("id", filter=Q(gender=Member.Gender.FEMALE)),
            n_male=Count("id", filter=Q(gender=Member.Gender.MALE)),
            n_trained=Count("id", filter=Q(trainings__gt=0)),
        )
        insert_rows(MemberCount, ["commune_id", "origin", "members", "female", "male", "trained"], per_origin)


class CommuneCount(models.Model):
    """A commune's active teams and the members of those teams who have not left (left_on
    empty), kept beside the registry so that the national view adds up 3,321 rows instead of
    joining 400,000 members with 72,000 teams.

    Recounted in the transaction of every write to teams or members: Team and Member save() and
    delete(), their querysets' update(), delete() and bulk_create(); raw SQL calls rebuild().
    Members whose joined_on is after today, or who leave on a later day, are counted here as
    if the day had passed: figures for a day correct them with count_corrections(day), so that
    nothing goes stale at midnight. Only communes with an active team have a row.
    """

    commune = models.OneToOneField(Commune, primary_key=True, on_delete=models.CASCADE, related_name="tally")
    teams = models.PositiveIntegerField("số tổ đang hoạt động")
    members = models.PositiveIntegerField("số thành viên chưa rời tổ")

    objects = CommuneCountQuerySet.as_manager()

    class Meta:
        verbose_name = "số liệu của xã"
        verbose_name_plural = "số liệu của xã"

    def __str__(self):
        return f"{self.commune_id}: {self.teams} tổ, {self.members} thành viên"


class MemberCount(models.Model):
    """The members of a commune's active teams who have not left, by origin: the province
    dashboard's members per commune and its table by origin. Recounted with CommuneCount
    (CommuneCount.objects.refresh), with the same meaning of "not left"."""

    commune = models.ForeignKey(Commune, on_delete=models.CASCADE, related_name="+")
    origin = models.CharField("thành phần", max_length=20, choices=Member.Origin.choices)
    members = models.PositiveIntegerField("số thành viên")
    female = models.PositiveIntegerField("nữ")
    male = models.PositiveIntegerField("nam")
    trained = models.PositiveIntegerField("đã tập huấn")

    class Meta:
        verbose_name = "thành viên theo thành phần"
        verbose_name_plural = "thành viên theo thành phần"
        constraints = [models.UniqueConstraint(fields=["commune", "origin"], name="member_count_unique")]

    def __str__(self):
        return f"{self.commune_id} {self.origin}: {self.members}"


def count_corrections(day):
    """The members the kept counts count differently from active_member(day), each with its
    ``change``: -1 for one counted but joining after ``day``, +1 for one not counted (a leave
    date is set) who had joined by ``day`` and leaves after it. Members of active teams only.

    Dates after today are rare, and both sides are found through the indexes on joined_on and
    left_on (teams migration 0008): a handful of rows, usually none."""
    joined = Q(joined_on__isnull=True) | Q(joined_on__lte=day)
    return (
        Member.objects.filter(team__status=Team.Status.ACTIVE)
        .filter(Q(left_on__isnull=True, joined_on__gt=day) | (Q(left_on__gt=day) & joined))
        .order_by()
        .annotate(change=models.Case(models.When(left_on__isnull=True, then=-1), default=1))
    )


class ActivityPhoto(models.Model):
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, related_name="photos")
    image = models.ImageField("ảnh", upload_to="activities/%Y/%m/")

    objects = ScopedQuerySet.as_manager()
    scope_paths = {"province": "activity__commune__province", "commune": "activity__commune", "team": "activity__team"}

    def __str__(self):
        return self.image.name
