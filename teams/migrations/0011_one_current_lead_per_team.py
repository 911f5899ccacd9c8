from django.db import migrations, models


def refuse_two_current_leads(apps, schema_editor):
    """Stop, naming the teams, rather than guess which of two Tổ trưởng is the one (an
    administrator gives the other a leave date or another role first)."""
    Member = apps.get_model("teams", "Member")
    teams = list(
        Member.objects.filter(role="lead", left_on__isnull=True)
        .values("team_id")
        .annotate(n=models.Count("pk"))
        .filter(n__gt=1)
        .values_list("team_id", flat=True)[:20]
    )
    if teams:
        shown = ", ".join(str(team) for team in teams)
        raise ValueError(f"Tổ có hai Tổ trưởng chưa rời tổ (id): {shown}. Cần sửa trước khi nâng cấp.")


class Migration(migrations.Migration):
    dependencies = [
        ("teams", "0010_decision_history"),
    ]

    operations = [
        migrations.RunPython(refuse_two_current_leads, migrations.RunPython.noop),
        migrations.AddConstraint(
            model_name="member",
            constraint=models.UniqueConstraint(
                condition=models.Q(("left_on__isnull", True), ("role", "lead")),
                fields=("team",),
                name="one_current_lead_per_team",
                violation_error_message="Tổ này đã có Tổ trưởng (chưa có ngày rời tổ).",
            ),
        ),
    ]
