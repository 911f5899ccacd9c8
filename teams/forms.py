import re
from urllib.parse import urlparse

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, F, OuterRef, Q
from django.forms.models import ModelChoiceIterator
from django.utils import timezone

from portal import widgets
from portal.text import CleanTextMixin
from portal.uploads import too_large
from teams.models import BIRTH_YEARS, Activity, ActivityPhoto, Decision, Member, Team, Topic, Village, active_member

DATE_INPUT = widgets.DateInput()
DATE_FILTER_ERRORS = {"invalid": "Ngày không hợp lệ, hãy nhập theo dạng dd/mm/yyyy."}


def normalize_phone(value):
    """'+84 912.345.678', '84912345678', '0912 345 678' -> '0912345678'; '' stays ''.

    Raises ValidationError (Vietnamese) for anything that is not a Vietnamese mobile number.
    """
    digits = re.sub(r"[\s.\-()]", "", str(value or ""))
    if not digits:
        return ""
    if digits.startswith("+84"):
        digits = "0" + digits[3:]
    elif digits.startswith("84") and len(digits) == 11:
        digits = "0" + digits[2:]
    elif len(digits) == 9 and digits[0] in "35789":
        digits = "0" + digits  # Excel drops the leading zero of a number typed as a number
    if not re.fullmatch(r"0[35789]\d{8}", digits):
        raise ValidationError("Số điện thoại di động không hợp lệ (cần 10 số, ví dụ 0912345678).")
    return digits


def other_lead(team, member=None):
    """The current Tổ trưởng of ``team`` other than ``member``, or None."""
    leads = Member.objects.current_leads().filter(team=team)
    if member is not None and member.pk is not None:
        leads = leads.exclude(pk=member.pk)
    return leads.order_by("pk").first()


def validate_zalo_url(value):
    host = (urlparse(value).hostname or "").lower()
    if host not in ("zalo.me", "www.zalo.me", "chat.zalo.me"):
        raise ValidationError("Đường dẫn nhóm Zalo phải là một liên kết zalo.me (ví dụ https://zalo.me/g/abcxyz).")


class VillageForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Village
        fields = ["name", "kind", "households", "population"]

    def clean_name(self):
        # The commune is not a field of the form, so Django leaves unique_open_village_name
        # to the database; the same rule as the Excel import's duplicates, in Vietnamese.
        # Compared in Python: SQLite's iexact folds only ASCII letters ("thôn đông" is not "Thôn Đông"
        # there), and a commune has a few dozen villages.
        name = self.cleaned_data["name"].strip()
        others = Village.objects.filter(commune=self.instance.commune, closed_on__isnull=True).exclude(
            pk=self.instance.pk
        )
        if any(other.casefold() == name.casefold() for other in others.values_list("name", flat=True)):
            raise ValidationError(f"Xã/phường đã có “{name}” đang tồn tại: hãy đặt tên khác.")
        return name


class VillageCloseForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = ["closed_on"]
        widgets = {"closed_on": DATE_INPUT}

    def clean_closed_on(self):
        if not self.cleaned_data["closed_on"]:
            raise ValidationError("Hãy nhập ngày giải thể hoặc sáp nhập.")
        return self.cleaned_data["closed_on"]


def clean_dissolved_on(form, data):
    """A dissolved team's day, which the reports of earlier periods count it until (TeamForm and the
    admin's form): as typed, not later than today; else the day already kept; else today for a
    team being dissolved now. A team entered as dissolved needs its day typed: it was dissolved
    some day before. An active team has none, whatever was typed there."""
    today = timezone.localdate()
    instance = form.instance
    if data.get("status") != Team.Status.DISSOLVED:
        data["dissolved_on"] = None
        form.errors.pop("dissolved_on", None)
    elif data.get("dissolved_on") and data["dissolved_on"] > today:
        form.add_error("dissolved_on", "Ngày giải thể không thể sau hôm nay.")
    elif not data.get("dissolved_on") and "dissolved_on" not in form.errors:
        if instance.pk is None:
            form.add_error("dissolved_on", "Hãy nhập ngày giải thể của tổ.")
        elif instance.status == Team.Status.DISSOLVED:
            data["dissolved_on"] = instance.dissolved_on  # kept (or still unknown, for an old one)
        else:
            data["dissolved_on"] = today
    return data


class TeamForm(CleanTextMixin, forms.ModelForm):
    zalo_planned_month = widgets.MonthField(label="Tháng dự kiến lập nhóm Zalo", required=False)

    class Meta:
        model = Team
        fields = ["name", "level", "village", "status", "dissolved_on", "zalo_url", "zalo_planned_month"]
        widgets = {"dissolved_on": DATE_INPUT}
        help_texts = {"dissolved_on": "Khi chọn “Đã giải thể”; tổ giải thể hôm nay thì có thể để trống."}

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commune = commune
        # Open villages, and the team's own even if it has since closed, so the team stays editable.
        villages = Village.objects.filter(commune=commune)
        own = villages.filter(pk=self.instance.village_id)
        field = self.fields["village"]
        field.queryset = villages.open_on() | own
        # The drop-down leaves out the villages that already have an active team (the team's own
        # stays): one query with EXISTS, whatever the number of villages. The field still accepts
        # every open village, so that a village taken since the page was shown gets clean()'s
        # message, not Django's "invalid choice".
        has_active_team = Exists(Team.objects.active().filter(village=OuterRef("pk")))
        offered = ModelChoiceIterator(field)
        offered.queryset = villages.open_on().filter(~has_active_team) | own
        field.widget.choices = offered

    def clean_zalo_url(self):
        url = self.cleaned_data["zalo_url"].strip()
        if url:
            validate_zalo_url(url)
        return url

    def clean(self):
        data = super().clean()
        level, village = data.get("level"), data.get("village")
        if level == Team.Level.VILLAGE and not village:
            self.add_error("village", "Tổ cấp thôn cần chọn thôn/tổ dân phố.")
        if level == Team.Level.COMMUNE:
            data["village"] = None
        if data.get("status") == Team.Status.ACTIVE and village:
            others = Team.objects.active().filter(village=village).exclude(pk=self.instance.pk)
            if others.exists():
                self.add_error("village", "Thôn này đã có một Tổ đang hoạt động.")
        if data.get("zalo_url"):
            data["zalo_planned_month"] = None
        return clean_dissolved_on(self, data)


class DecisionForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Decision
        fields = ["kind", "number", "signed_on", "issuer", "teams", "file"]
        widgets = {"signed_on": DATE_INPUT, "teams": forms.CheckboxSelectMultiple}

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commune = commune
        self.fields["teams"].queryset = Team.objects.filter(commune=commune)
        self.fields["issuer"].initial = commune.committee_name

    def clean_number(self):
        number = self.cleaned_data["number"].strip()
        if not re.fullmatch(r"\d+/[A-ZĐ][A-ZĐ0-9&\-]*(/[A-ZĐ0-9&\-]+)?", number.upper()):
            raise ValidationError("Số quyết định cần có dạng 241/QĐ-UBND.")
        return number

    def clean_file(self):
        upload = self.cleaned_data.get("file")
        if not upload or not hasattr(upload, "size") or upload == self.initial.get("file"):
            return upload
        if upload.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(too_large())
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError("Tệp không phải PDF. Hãy tải lên bản quyết định đã ký dạng PDF.")
        return upload


class MemberForm(CleanTextMixin, forms.ModelForm):
    class Meta:
        model = Member
        fields = [
            "full_name",
            "role",
            "origin",
            "phone",
            "gender",
            "birth_year",
            "trainings",
            "joined_on",
            "left_on",
        ]
        widgets = {"joined_on": DATE_INPUT, "left_on": DATE_INPUT}

    def clean_phone(self):
        return normalize_phone(self.cleaned_data["phone"])

    def clean_birth_year(self):
        year = self.cleaned_data["birth_year"]
        if year is not None and not BIRTH_YEARS[0] <= year <= BIRTH_YEARS[1]:
            raise ValidationError("Năm sinh không hợp lệ.")
        return year

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "Ngày rời tổ phải sau ngày tham gia.")
        if data.get("role") == Member.Role.LEAD and not left:
            lead = other_lead(self.instance.team, self.instance)
            if lead is not None:
                self.add_error("role", f"Tổ này đã có Tổ trưởng: {lead.full_name}. Hãy đổi vai trò của người đó trước.")
        return data


class TopicsField(forms.TypedMultipleChoiceField):
    """Several topics ticked on the form, one integer (a Topic bitmask) in the database."""

    def __init__(self, **kwargs):
        super().__init__(choices=Topic.choices(), coerce=int, widget=forms.CheckboxSelectMultiple, **kwargs)

    def prepare_value(self, value):
        if isinstance(value, int):
            return [topic.value for topic in Topic.split(value)]
        return value

    def clean(self, value):
        mask = 0
        for topic in super().clean(value):
            mask |= topic
        return mask


class MultipleImageInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.ImageField):
    """Several photos in one file input. Each is opened and verified by Pillow (Django's
    ImageField does it), must be a format every phone and browser shows, and is size-limited."""

    FORMATS = {"JPEG", "PNG", "WEBP", "GIF"}
    MAX_PHOTOS = 5

    def __init__(self, **kwargs):
        kwargs.setdefault("widget", MultipleImageInput(attrs={"accept": "image/*"}))
        super().__init__(**kwargs)

    def clean(self, data, initial=None):
        uploads = data if isinstance(data, list | tuple) else [data] if data else []
        if len(uploads) > self.MAX_PHOTOS:
            raise ValidationError(f"Chỉ gửi được tối đa {self.MAX_PHOTOS} ảnh mỗi lần.")
        photos = []
        for upload in uploads:
            if upload.size > settings.MAX_UPLOAD_BYTES:
                raise ValidationError(too_large(f"Ảnh “{upload.name}”"))
            try:
                photo = super().clean(upload, initial)
            except ValidationError:
                raise ValidationError(
                    f"Tệp “{upload.name}” không phải là ảnh hoặc ảnh bị hỏng. Hãy chọn ảnh chụp (JPG, PNG)."
                ) from None
            if photo.image.format not in self.FORMATS:
                raise ValidationError(f"Ảnh “{upload.name}” cần có dạng JPG, PNG, WEBP hoặc GIF.")
            photos.append(photo)
        return photos


class ActivityForm(CleanTextMixin, forms.ModelForm):
    topics = TopicsField(label="Nội dung hỗ trợ", required=False)
    photos = PhotosField(label="Ảnh (không bắt buộc)", required=False)

    class Meta:
        model = Activity
        fields = ["date", "kind", "topics", "place", "people_helped", "households_reached", "accounts_created", "notes"]
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean(self):
        cleaned = super().clean()
        team = self.instance.team if self.instance.team_id else None
        if self.instance.pk is None and team is not None and team.status == team.Status.DISSOLVED:
            raise ValidationError(f"{team.name} đã giải thể: không ghi thêm hoạt động được.")
        return cleaned

    def full_clean(self):
        super().full_clean()
        if self.photos_not_kept:
            # Screen readers read the warning with the file input (the template shows it beside it).
            bound = self["photos"]
            described = [f"{bound.auto_id}_error"] if bound.errors else []
            self.fields["photos"].widget.attrs["aria-describedby"] = " ".join([*described, self.PHOTOS_NOT_KEPT_ID])

    PHOTOS_NOT_KEPT_ID = "id_photos_not_kept"

    @property
    def photos_not_kept(self):
        """How many photos were sent with this form when it is shown again after an error, else 0.

        Browsers never fill a file input again: the photos are lost unless chosen again, and the
        template says so beside the field."""
        if not self.is_bound or not self.errors:
            return 0
        widget = self.fields["photos"].widget
        sent = widget.value_from_datadict(self.data, self.files, self.add_prefix("photos"))
        sent = sent if isinstance(sent, list | tuple) else [sent]
        return sum(1 for upload in sent if upload)

    def save_photos(self):
        """Called by the view after save(): the photos belong to the saved activity."""
        for photo in self.cleaned_data.get("photos", []):
            ActivityPhoto.objects.create(activity=self.instance, image=photo)


# Lists: search, filters and sort from the query string --------------------------------


class ListFilterForm(CleanTextMixin, forms.Form):
    """A list's search box, filters and sort order, bound to request.GET.

    A value that does not validate is dropped (the list is shown without that filter), never
    an error page: these are links people share and bookmark. A value typed in a box (a date, a
    number, the search) keeps its error, shown beside the box, and the page says that the list
    is not filtered by it (``not_applied``): the box still shows what was typed. A choice that
    does not exist (an old link) is dropped quietly: its drop-down shows what is applied, the
    default. Subclasses say which sorts exist (first is the default) and how their fields
    filter in ``filter``.
    """

    SORTS = {}  # query value -> (label, order_by fields)
    SEARCHED = ()  # the fields the search box looks in
    EQUAL = ()  # the filter fields that keep rows whose field of the same name equals the choice

    q = forms.CharField(label="Tìm", required=False, max_length=100)
    sap_xep = forms.ChoiceField(label="Sắp xếp", required=False)

    def __init__(self, data, *, commune=None, **kwargs):
        """``commune`` is None on one team's list."""
        super().__init__(data, **kwargs)
        self.commune = commune
        self.fields["sap_xep"].choices = [(key, label) for key, (label, _) in self.SORTS.items()]
        widgets.filter_bar(self.fields)

    def apply(self, queryset):
        self.is_valid()  # cleaned_data then holds the fields that did validate
        for name in list(self.errors):
            if isinstance(self.fields.get(name), forms.ChoiceField):
                del self.errors[name]
            elif name in self.fields:
                attrs = self.fields[name].widget.attrs
                attrs.update({"class": f"{attrs.get('class', '')} is-invalid".strip(), "aria-invalid": "true"})
        data = {key: value for key, value in self.cleaned_data.items() if value not in (None, "")}
        if "q" in data:
            search = Q()
            for name in self.SEARCHED:
                search |= Q(**{f"{name}__icontains": data["q"]})
            queryset = queryset.filter(search)
        queryset = queryset.filter(**{name: data[name] for name in self.EQUAL if name in data})
        queryset = self.filter(queryset, data)
        _, order = self.SORTS[data.get("sap_xep") or next(iter(self.SORTS))]
        return queryset.order_by(*order)

    def filter(self, queryset, data):
        """The subclass's own filters and annotations."""
        return queryset

    @property
    def not_applied(self):
        """The fields whose typed value does not validate, after apply(): the list is not filtered by them."""
        return [self[name] for name in self.errors if name in self.fields]


class VillageFilterForm(ListFilterForm):
    SORTS = {
        "ten": ("Theo tên", ["name"]),
        "loai": ("Theo loại", ["kind", "name"]),
        "so-ho": ("Nhiều hộ nhất", [F("households").desc(nulls_last=True), "name"]),
        "nhan-khau": ("Đông dân nhất", [F("population").desc(nulls_last=True), "name"]),
    }
    SEARCHED = ("name",)
    EQUAL = ("kind",)
    kind = forms.ChoiceField(label="Loại", required=False, choices=[("", "Mọi loại"), *Village.Kind.choices])
    trang_thai = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Đang tồn tại"), ("da-giai-the", "Đã giải thể/sáp nhập"), ("tat-ca", "Tất cả")],
    )
    co_to = forms.ChoiceField(
        label="Tổ CNSCĐ",
        required=False,
        choices=[("", "Có hoặc chưa có tổ"), ("co", "Đã có tổ"), ("chua", "Chưa có tổ")],
    )

    def filter(self, queryset, data):
        queryset = queryset.annotate(
            has_team=Exists(Team.objects.active().filter(village=OuterRef("pk"))),
        )
        status = data.get("trang_thai")
        if status is None:
            queryset = queryset.open_on()
        elif status == "da-giai-the":
            queryset = queryset.filter(closed_on__lte=timezone.localdate())
        if "co_to" in data:
            queryset = queryset.filter(has_team=data["co_to"] == "co")
        return queryset


class TeamFilterForm(ListFilterForm):
    SORTS = {
        "cap": ("Theo cấp, tên", ["level", "name"]),
        "ten": ("Theo tên", ["name"]),
        "thon": ("Theo thôn", ["village__name", "name"]),
        "thanh-vien": ("Nhiều thành viên nhất", ["-active_members", "name"]),
    }
    SEARCHED = ("name", "village__name")
    EQUAL = ("level", "status")
    level = forms.ChoiceField(label="Cấp", required=False, choices=[("", "Mọi cấp"), *Team.Level.choices])
    status = forms.ChoiceField(
        label="Trạng thái", required=False, choices=[("", "Mọi trạng thái"), *Team.Status.choices]
    )

    def filter(self, queryset, data):
        return queryset.select_related("village").annotate(
            active_members=Count("members", filter=active_member(timezone.localdate(), "members__"))
        )


class MemberFilterForm(ListFilterForm):
    SORTS = {
        "to": ("Theo tổ", ["team__name", "full_name"]),
        "ten": ("Theo tên", ["full_name"]),
        "vai-tro": ("Theo vai trò", ["role", "full_name"]),
        "ngay": ("Mới tham gia", [F("joined_on").desc(nulls_last=True), "full_name"]),
    }
    SEARCHED = ("full_name", "phone")
    EQUAL = ("team", "role", "origin", "gender")
    team = forms.ModelChoiceField(label="Tổ", required=False, queryset=Team.objects.none(), empty_label="Mọi tổ")
    role = forms.ChoiceField(label="Vai trò", required=False, choices=[("", "Mọi vai trò"), *Member.Role.choices])
    origin = forms.ChoiceField(
        label="Thành phần", required=False, choices=[("", "Mọi thành phần"), *Member.Origin.choices]
    )
    gender = forms.ChoiceField(label="Giới tính", required=False, choices=[("", "Nam và nữ"), *Member.Gender.choices])
    trang_thai = forms.ChoiceField(
        label="Tình trạng",
        required=False,
        choices=[("", "Đang trong tổ"), ("da-roi", "Đã rời tổ"), ("tat-ca", "Cả người đã rời")],
    )

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        self.fields["team"].queryset = Team.objects.filter(commune=self.commune).order_by("name")

    def filter(self, queryset, data):
        queryset = queryset.select_related("team")
        status = data.get("trang_thai")
        if status is None:
            queryset = queryset.active_on()
        elif status == "da-roi":
            queryset = queryset.filter(left_on__lte=timezone.localdate())
        return queryset


class ActivityFilterForm(ListFilterForm):
    SORTS = {
        "moi-nhat": ("Mới nhất", ["-date", "-pk"]),
        "cu-nhat": ("Cũ nhất", ["date", "pk"]),
        "nguoi": ("Nhiều người được hỗ trợ nhất", ["-people_helped", "-date"]),
        "to": ("Theo tổ", ["team__name", "-date"]),
    }
    SEARCHED = ("place", "notes")
    EQUAL = ("team", "kind")
    team = forms.ModelChoiceField(label="Tổ", required=False, queryset=Team.objects.none(), empty_label="Mọi tổ")
    kind = forms.ChoiceField(label="Hình thức", required=False, choices=[("", "Mọi hình thức"), *Activity.Kind.choices])
    topic = forms.TypedChoiceField(
        label="Nội dung", required=False, coerce=int, choices=[("", "Mọi nội dung"), *Topic.choices()]
    )
    tu_ngay = forms.DateField(label="Từ ngày", required=False, widget=DATE_INPUT, error_messages=DATE_FILTER_ERRORS)
    den_ngay = forms.DateField(label="Đến ngày", required=False, widget=DATE_INPUT, error_messages=DATE_FILTER_ERRORS)

    def __init__(self, data, **kwargs):
        super().__init__(data, **kwargs)
        if self.commune is None:  # one team's list: no team to choose
            del self.fields["team"]
        else:
            self.fields["team"].queryset = Team.objects.filter(commune=self.commune).order_by("name")

    def filter(self, queryset, data):
        queryset = queryset.select_related("team")
        if "topic" in data:
            queryset = queryset.alias(topic_bit=F("topics").bitand(data["topic"])).filter(topic_bit=data["topic"])
        if "tu_ngay" in data:
            queryset = queryset.filter(date__gte=data["tu_ngay"])
        if "den_ngay" in data:
            queryset = queryset.filter(date__lte=data["den_ngay"])
        return queryset
