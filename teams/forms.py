import re
from urllib.parse import urlparse

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError

from teams.models import Activity, Decision, Member, Team, Topic, Village

DATE_INPUT = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")


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


def validate_zalo_url(value):
    host = (urlparse(value).hostname or "").lower()
    if host not in ("zalo.me", "www.zalo.me", "chat.zalo.me"):
        raise ValidationError("Đường dẫn nhóm Zalo phải là một liên kết zalo.me (ví dụ https://zalo.me/g/abcxyz).")


class VillageForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = ["name", "kind", "households", "population"]


class VillageCloseForm(forms.ModelForm):
    class Meta:
        model = Village
        fields = ["closed_on"]
        widgets = {"closed_on": DATE_INPUT}

    def clean_closed_on(self):
        if not self.cleaned_data["closed_on"]:
            raise ValidationError("Hãy nhập ngày giải thể hoặc sáp nhập.")
        return self.cleaned_data["closed_on"]


class TeamForm(forms.ModelForm):
    zalo_planned_month = forms.DateField(
        label="Tháng dự kiến lập nhóm Zalo",
        required=False,
        input_formats=["%Y-%m"],
        widget=forms.DateInput(attrs={"type": "month"}, format="%Y-%m"),
    )

    class Meta:
        model = Team
        fields = ["name", "level", "village", "status", "zalo_url", "zalo_planned_month"]

    def __init__(self, *args, commune, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.commune = commune
        self.fields["village"].queryset = Village.objects.filter(commune=commune).open_on()

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
        return data


class DecisionForm(forms.ModelForm):
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
            limit = settings.MAX_UPLOAD_BYTES // (1024 * 1024)
            raise ValidationError(f"Tệp quá lớn: tối đa {limit} MB.")
        head = upload.read(5)
        upload.seek(0)
        if head != b"%PDF-":
            raise ValidationError("Tệp không phải PDF. Hãy tải lên bản quyết định đã ký dạng PDF.")
        return upload


class MemberForm(forms.ModelForm):
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
        if year is not None and not 1920 <= year <= 2015:
            raise ValidationError("Năm sinh không hợp lệ.")
        return year

    def clean(self):
        data = super().clean()
        joined, left = data.get("joined_on"), data.get("left_on")
        if joined and left and left < joined:
            self.add_error("left_on", "Ngày rời tổ phải sau ngày tham gia.")
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


class ActivityForm(forms.ModelForm):
    topics = TopicsField(label="Nội dung hỗ trợ", required=False)
    photos = forms.ImageField(label="Ảnh (không bắt buộc)", required=False)

    class Meta:
        model = Activity
        fields = ["date", "kind", "topics", "place", "people_helped", "households_reached", "accounts_created", "notes"]
        widgets = {"date": DATE_INPUT, "notes": forms.Textarea(attrs={"rows": 2})}

    def clean_photos(self):
        photo = self.cleaned_data.get("photos")
        if photo and photo.size > settings.MAX_UPLOAD_BYTES:
            raise ValidationError(f"Ảnh quá lớn: tối đa {settings.MAX_UPLOAD_BYTES // (1024 * 1024)} MB.")
        return photo
