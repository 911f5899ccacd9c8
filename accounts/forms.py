from django import forms
from django.core.exceptions import ValidationError

from accounts import managing
from portal import widgets
from portal.models import User
from portal.roles import Role
from portal.text import CleanTextMixin, as_id
from teams.forms import normalize_phone
from teams.models import Province

EMAIL_INVALID = "Địa chỉ thư điện tử không hợp lệ."
UNITS = ("province", "commune", "team")


class UnitSelect(forms.Select):
    """A <select> whose options carry the units they belong to (``data-province``, ``data-commune``),
    read from the instance the choice iterator already holds: no query per option."""

    def __init__(self, *args, option_attrs=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.option_attrs = option_attrs

    def create_option(self, name, value, label, selected, index, subindex=None, attrs=None):
        option = super().create_option(name, value, label, selected, index, subindex=subindex, attrs=attrs)
        instance = getattr(value, "instance", None)
        if instance is not None and self.option_attrs:
            option["attrs"].update(self.option_attrs(instance))
        return option


class UnitChoiceField(forms.ModelChoiceField):
    """A commune or team picker whose labels name the province ("Xã Thanh Thủy (Tỉnh Phú Thọ)").

    ``option_attrs(obj)`` gives each option's data attributes, ``roles`` the roles that need the
    picker (``data-roles``): accounts/static/accounts/user_form.js shows the pickers of the role
    chosen and narrows the communes to the province chosen, the teams to the commune.
    """

    def __init__(self, *args, label_from=None, option_attrs=None, roles=(), **kwargs):
        self._label_from = label_from
        attrs = {"data-roles": " ".join(roles)} if roles else None
        kwargs.setdefault("widget", UnitSelect(attrs=attrs, option_attrs=option_attrs))
        super().__init__(*args, empty_label="— Chọn —", **kwargs)

    def label_from_instance(self, obj):
        return self._label_from(obj)


def commune_attrs(commune):
    return {"data-province": commune.province_id}


def team_attrs(team):
    return {"data-commune": team.commune_id, "data-province": team.commune.province_id}


class UserForm(CleanTextMixin, forms.ModelForm):
    """A manager creates or edits an account of a role below theirs, inside their scope.

    The units always agree: a commune official's province is their commune's, a team lead's
    commune and province are their team's; the wider units are set here, never typed.
    """

    class Meta:
        model = User
        fields = ["username", "full_name", "role", "province", "commune", "team", "phone", "email"]
        labels = {"username": "Tên đăng nhập", "email": "Thư điện tử"}
        error_messages = {"email": {"invalid": EMAIL_INVALID}}
        help_texts = {"username": "Chữ cái, số và . _ - ; ví dụ xa.hatay.nguyenvana"}

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        self.manager = manager
        roles = managing.managed_roles(manager)
        self.fields["role"].choices = [(value, label) for value, label in Role.choices if value in roles]
        # The province narrows the communes (and teams) offered, the commune the teams.
        self.fields["province"] = UnitChoiceField(
            managing.provinces_for(manager),
            required=False,
            label="Tỉnh/thành phố",
            label_from=str,
            roles=[Role.PROVINCE, Role.COMMUNE, Role.TEAM_LEAD],
        )
        self.fields["commune"] = UnitChoiceField(
            managing.communes_for(manager),
            required=False,
            label="Xã/phường",
            label_from=managing.commune_label,
            option_attrs=commune_attrs,
            roles=[Role.COMMUNE, Role.TEAM_LEAD],
        )
        self.fields["team"] = UnitChoiceField(
            managing.teams_for(manager),
            required=False,
            label="Tổ CNSCĐ",
            label_from=managing.team_label,
            option_attrs=team_attrs,
            roles=[Role.TEAM_LEAD],
        )
        self.fields["full_name"].required = True
        if manager.role != Role.ADMIN:
            del self.fields["province"]

    def clean_phone(self):
        return normalize_phone(self.cleaned_data.get("phone"))

    def clean_username(self):
        username = self.cleaned_data["username"].strip()
        clash = User.objects.filter(username__iexact=username).exclude(pk=self.instance.pk)
        if clash.exists():
            raise ValidationError("Tên đăng nhập này đã có người dùng.")
        return username

    def _require(self, name, message):
        # A choice already refused ("Hãy chọn một lựa chọn hợp lệ") is one problem, said once.
        if name not in self.errors:
            self.add_error(name, message)

    def clean(self):
        data = super().clean()
        role, province = data.get("role"), data.get("province")
        commune, team = data.get("commune"), data.get("team")
        if role == Role.PROVINCE:
            if province is None:
                self._require("province", "Cán bộ Sở cần chọn tỉnh/thành phố.")
            data["commune"] = data["team"] = None
        elif role == Role.COMMUNE:
            if commune is None:
                self._require("commune", "Cán bộ xã/phường cần chọn xã/phường.")
            else:
                data["province"] = commune.province
            data["team"] = None
        elif role == Role.TEAM_LEAD:
            if team is None:
                self._require("team", "Tổ trưởng cần chọn Tổ CNSCĐ.")
            elif commune is not None and team.commune_id != commune.pk:
                self.add_error("team", f"{team.name} không thuộc {commune.name}.")
            else:
                data["commune"], data["province"] = team.commune, team.commune.province
        elif role == Role.ADMIN:
            data["province"] = data["commune"] = data["team"] = None
        return data

    def _post_clean(self):
        # The units decided in clean() replace what was typed; the model's own clean() checks them.
        for name in UNITS:
            if name in self.cleaned_data:
                setattr(self.instance, name, self.cleaned_data[name])
        super()._post_clean()

    def _update_errors(self, errors):
        # The model's clean() says again, in general words ("Vai trò này cần chọn đơn vị."), a
        # problem of a unit this form has already named: one message per problem.
        if hasattr(errors, "error_dict"):
            for name in UNITS:
                if name in self._errors:
                    errors.error_dict.pop(name, None)
            if not errors.error_dict:
                return
        super()._update_errors(errors)


class UserFilterForm(CleanTextMixin, forms.Form):
    """The account list's filters. A manager of several provinces (an administrator) picks the
    province first: the commune picker then lists that province's communes, not the country's
    3,321 (a link with ?xa= alone still works, its commune naming the province)."""

    q = forms.CharField(label="Tìm", required=False)
    vai_tro = forms.ChoiceField(label="Vai trò", required=False)
    tinh = forms.ModelChoiceField(None, label="Tỉnh/thành phố", required=False, empty_label="Tất cả")
    xa = UnitChoiceField(None, label="Xã/phường", required=False, label_from=managing.commune_label)
    trang_thai = forms.ChoiceField(
        label="Trạng thái",
        required=False,
        choices=[("", "Tất cả"), ("hoat-dong", "Đang hoạt động"), ("khoa", "Đã khóa")],
    )
    dang_nhap = forms.ChoiceField(
        label="Đăng nhập lần cuối",
        required=False,
        choices=[("", "Tất cả"), ("chua", "Chưa đăng nhập"), ("30-ngay", "Trong 30 ngày"), ("lau", "Quá 30 ngày")],
    )

    def __init__(self, *args, manager, **kwargs):
        super().__init__(*args, **kwargs)
        roles = managing.managed_roles(manager)
        self.fields["vai_tro"].choices = [("", "Tất cả")] + [(v, label) for v, label in Role.choices if v in roles]
        provinces = Province.objects.visible_to(manager).open_on()
        communes = managing.communes_for(manager)
        if provinces.count() > 1:
            self.fields["tinh"].queryset = provinces
            province = (
                as_id(self.data.get("tinh"))
                or communes.filter(pk=as_id(self.data.get("xa"))).values_list("province_id", flat=True).first()
            )
            communes = communes.filter(province_id=province) if province else communes.none()
            self.fields["xa"].empty_label = "Tất cả" if province else "— Chọn tỉnh/thành phố trước —"
        else:
            del self.fields["tinh"]
            self.fields["xa"].empty_label = "Tất cả"
        self.fields["xa"].queryset = communes
        widgets.filter_bar(self.fields)
