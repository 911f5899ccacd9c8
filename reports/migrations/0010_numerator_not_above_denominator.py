# A migration of its own: PostgreSQL may refuse to alter a table in the transaction that has just
# updated its rows (0009's data step).

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("reports", "0009_indicator_catalogue")]

    operations = [
        migrations.AddConstraint(
            model_name="indicatorvalue",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    ("numerator__isnull", True),
                    ("denominator__isnull", True),
                    ("numerator__lte", models.F("denominator")),
                    _connector="OR",
                ),
                name="numerator_not_above_denominator",
            ),
        ),
    ]
