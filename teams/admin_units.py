"""Keep provinces and communes in step with the pinned vietnam-provinces package.

Matching is by official code; a commune whose code was renumbered between package versions
is recognised by its province and codename. Units missing from the package are closed
(never deleted), so villages, teams and old reports that point at them stay intact.
"""

from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone
from vietnam_provinces import Province as PackageProvince
from vietnam_provinces import Ward as PackageWard

from teams.models import Commune, Province

COMMUNE_KIND = {"xã": Commune.Kind.XA, "phường": Commune.Kind.PHUONG, "đặc khu": Commune.Kind.DAC_KHU}


@dataclass
class SyncReport:
    created: list = field(default_factory=list)
    updated: list = field(default_factory=list)
    closed: list = field(default_factory=list)
    reopened: list = field(default_factory=list)

    @property
    def changed(self):
        return bool(self.created or self.updated or self.closed or self.reopened)


def _update(obj, values, report):
    changes = [
        f"{name}: {getattr(obj, name)!r} -> {value!r}" for name, value in values.items() if getattr(obj, name) != value
    ]
    if changes:
        for name, value in values.items():
            setattr(obj, name, value)
        obj.save()
        report.updated.append(f"{obj.name} ({obj.code}): " + "; ".join(changes))


@transaction.atomic
def sync_admin_units(today=None):
    today = today or timezone.localdate()
    report = SyncReport()
    provinces = {p.code: p for p in Province.objects.all()}
    for source in PackageProvince.iter_all():
        values = {"name": source.name, "codename": source.codename, "division_type": source.division_type.value}
        province = provinces.get(source.code.value)
        if province is None:
            province = Province.objects.create(code=source.code.value, **values)
            provinces[province.code] = province
            report.created.append(f"{province.name} ({province.code})")
        else:
            _update(province, values, report)
            if province.closed_on:
                province.closed_on = None
                province.save(update_fields=["closed_on"])
                report.reopened.append(f"{province.name} ({province.code})")

    package_wards = list(PackageWard.iter_all())
    package_codes = {w.code.value for w in package_wards}
    communes = {c.code: c for c in Commune.objects.all()}
    # Communes renumbered by the package: same province and codename, old code gone.
    orphans = {(c.province.code, c.codename): c for c in communes.values() if c.code not in package_codes}
    new_communes = []
    for source in package_wards:
        province = provinces[source.province_code.value]
        values = {
            "province": province,
            "name": source.name,
            "codename": source.codename,
            "kind": COMMUNE_KIND[source.division_type.value],
        }
        commune = communes.get(source.code.value) or orphans.pop((province.code, source.codename), None)
        if commune is None:
            new_communes.append(Commune(code=source.code.value, **values))
            report.created.append(f"{source.name} ({source.code.value})")
            continue
        _update(commune, {"code": source.code.value, **values}, report)
        if commune.closed_on:
            commune.closed_on = None
            commune.save(update_fields=["closed_on"])
            report.reopened.append(f"{commune.name} ({commune.code})")
    Commune.objects.bulk_create(new_communes, batch_size=1000)

    for commune in Commune.objects.filter(closed_on__isnull=True).exclude(code__in=package_codes):
        commune.closed_on = today
        commune.save(update_fields=["closed_on"])
        report.closed.append(f"{commune.name} ({commune.code})")
    province_codes = {source.code.value for source in PackageProvince.iter_all()}
    for province in Province.objects.filter(closed_on__isnull=True).exclude(code__in=province_codes):
        province.closed_on = today
        province.save(update_fields=["closed_on"])
        report.closed.append(f"{province.name} ({province.code})")
    return report
