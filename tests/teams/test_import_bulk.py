"""Imports in bulk: the rows parsed at the preview are kept in storage (not in the session) and
saved at the confirmation in a few queries whatever their number, with a history row each."""

import datetime

import pytest
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.urls import reverse
from django.utils import timezone

from teams.models import Member, Team
from tests.cast import make_cast
from tests.concurrency import write_while_another_transaction_is_open
from tests.teams.test_member_excel import confirm, good_row, upload, xlsx


def test_many_members_are_saved_in_a_fixed_number_of_queries_each_with_its_history(
    client, cast, django_assert_max_num_queries
):
    client.force_login(cast.official_x)
    rows = [good_row(f"Thành viên {n:03}", f"0912{n:06}") for n in range(300)]
    page = upload(client, cast, xlsx(*rows)).content.decode()
    assert "Sẽ nhập 300 thành viên" in page and "chỉ hiện 200 dòng đầu" in page
    assert "Thành viên 199" in page and "Thành viên 200" not in page
    before = Member.objects.count()
    with django_assert_max_num_queries(20):
        response = confirm(client, cast)
    assert response.status_code == 302
    assert Member.objects.count() == before + 300
    imported = Member.objects.filter(full_name__startswith="Thành viên ")
    assert imported.count() == 300
    history = Member.history.filter(id__in=imported.values("pk"))
    assert history.count() == 300
    assert set(history.values_list("history_type", "history_user")) == {("+", cast.official_x.pk)}
    member = imported.get(full_name="Thành viên 007")
    assert (member.team, member.joined_on, member.trainings) == (cast.team_x, datetime.date(2025, 9, 26), 2)


def test_the_session_names_a_kept_file_that_the_confirmation_removes(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row()))
    name = client.session[f"member_import_{cast.commune_x.pk}"]
    assert len(name) < 100 and default_storage.exists(name)
    confirm(client, cast)
    assert not default_storage.exists(name)
    assert f"member_import_{cast.commune_x.pk}" not in client.session
    # A second confirmation finds nothing to import and says so.
    response = confirm(client, cast)
    assert response.status_code == 302
    assert Member.objects.filter(full_name="Phạm Thị Lan").count() == 1


def test_a_new_upload_replaces_the_kept_rows_of_the_previous_one(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row()))
    first = client.session[f"member_import_{cast.commune_x.pk}"]
    upload(client, cast, xlsx(good_row("Đỗ Văn Hùng", "0987000222")))
    assert not default_storage.exists(first)
    confirm(client, cast)
    assert Member.objects.filter(full_name="Đỗ Văn Hùng").exists()
    assert not Member.objects.filter(full_name="Phạm Thị Lan").exists()


def test_a_member_added_since_the_preview_is_skipped_not_doubled(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row(), good_row("Đỗ Văn Hùng", "0987000222")))
    Member.objects.create(team=cast.team_x, full_name="Đỗ Văn Hùng", phone="0987000222")
    response = confirm(client, cast)
    assert Member.objects.filter(full_name="Đỗ Văn Hùng").count() == 1
    assert Member.objects.filter(full_name="Phạm Thị Lan").count() == 1
    page = client.get(response["Location"]).content.decode()
    assert "Đã nhập 1 thành viên; bỏ qua 1 dòng trùng." in page


def test_a_team_closed_since_the_preview_imports_nothing_and_says_why(client, cast):
    client.force_login(cast.official_x)
    upload(client, cast, xlsx(good_row()))
    Team.objects.filter(pk=cast.team_x.pk).update(status=Team.Status.DISSOLVED)
    response = confirm(client, cast)
    assert response["Location"] == reverse("teams:member_import", args=[cast.commune_x.pk])
    assert not Member.objects.filter(full_name="Phạm Thị Lan").exists()
    page = client.get(response["Location"]).content.decode()
    assert "Chưa nhập thành viên nào. Cột Tổ: một giá trị không còn dùng được." in page


def test_the_imports_history_rows_are_the_ones_django_simple_history_writes(cast):
    """create_with_history copies the rows it inserted into the history table by SQL; each
    history row must hold what the library's own bulk_create_with_history would have written."""
    from simple_history.utils import bulk_create_with_history

    from teams.history import create_with_history
    from teams.models import Village

    def members(prefix):
        return [
            Member(
                team=cast.team_x, full_name=f"{prefix} {n}", phone=f"09120000{n:02}", birth_year=1990 + n, trainings=n
            )
            for n in range(3)
        ]

    ours = create_with_history(members("Lê Văn"), cast.official_x)
    theirs = bulk_create_with_history(members("Trần Văn"), Member, default_user=cast.official_x)
    # Every tracked field but those that differ between the two batches by construction.
    shown = [
        f.attname for f in Member.history.model.tracked_fields if f.attname not in ("id", "full_name", "created_at")
    ]

    def rows(created):
        records = Member.history.filter(id__in=[m.pk for m in created]).order_by("id")
        return [
            (r.history_type, r.history_user_id, r.history_change_reason, r.full_name, *[getattr(r, f) for f in shown])
            for r in records
        ]

    assert [row[:3] for row in rows(ours)] == [("+", cast.official_x.pk, None)] * 3
    assert [row[:3] for row in rows(theirs)] == [("+", cast.official_x.pk, None)] * 3
    assert [row[4:] for row in rows(ours)] == [row[4:] for row in rows(theirs)]
    assert [row[3] for row in rows(ours)] == [f"Lê Văn {n}" for n in range(3)]
    for record in Member.history.filter(id__in=[m.pk for m in ours]):
        member = Member.objects.get(pk=record.id)
        assert (record.instance.full_name, record.instance.created_at) == (member.full_name, member.created_at)
        assert abs((record.history_date - timezone.now()).total_seconds()) < 60
    # Another model's columns are named by its own history model.
    village = create_with_history([Village(commune=cast.commune_x, name="Thôn Mới", households=12)], None)[0]
    (kept,) = Village.history.filter(id=village.pk)
    assert (kept.name, kept.households, kept.commune_id, kept.history_user_id) == (
        "Thôn Mới",
        12,
        cast.commune_x.pk,
        None,
    )


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite runs one writer at a time")
@pytest.mark.parametrize("kind", ["member", "village"])
def test_the_same_file_confirmed_twice_at_once_is_imported_once(kind):
    """Two tabs (or two officials) confirm the same preview at the same moment: the second waits
    for the first to commit, then finds its rows there and skips them, instead of doubling the
    members or stopping on the villages' unique name with a server error."""
    from teams import excel
    from teams.models import Village

    cast = make_cast()
    make_sheet = excel.member_sheet if kind == "member" else excel.village_sheet
    if kind == "member":
        header = make_sheet(cast.commune_x).headers
        rows = [header, ["Tổ CNSCĐ Thôn Đông", "Nguyễn Thị Mới", "Thành viên", "", "0912000111", "Nữ", "", "", ""]]
        rows.append(["Tổ CNSCĐ Thôn Đông", "Trần Văn Mới", "Thành viên", "", "0912000222", "Nam", "", "", ""])
        model = Member
    else:
        rows = [make_sheet(cast.commune_x).headers, ["Thôn Mới Một"], ["Thôn Mới Hai"]]
        rows = [row + [""] * (len(rows[0]) - len(row)) for row in rows]
        model = Village
    before = model.objects.count()
    values = excel.parse(make_sheet(cast.commune_x), rows).values
    assert len(values) == 2

    def confirm():
        excel.save_rows(cast.commune_x, make_sheet(cast.commune_x), values, cast.official_x)

    write_while_another_transaction_is_open(confirm, lambda: transaction.atomic(confirm)())
    assert model.objects.count() == before + 2
