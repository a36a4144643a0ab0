# Who proposes and who decides a member's grade, per evaluation scheme (data, checked on load).
# Depends on 0004_frozen_versions only so that the graph has one leaf while both are developed side by side;
# either order works (the two migrations touch different columns).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("rulebook", "0004_frozen_versions"),
    ]

    operations = [
        migrations.AddField(
            model_name="evaluationscheme",
            name="authority",
            field=models.JSONField(blank=True, default=dict, verbose_name="who proposes and who decides"),
        ),
        migrations.AddField(
            model_name="historicalevaluationscheme",
            name="authority",
            field=models.JSONField(blank=True, default=dict, verbose_name="who proposes and who decides"),
        ),
    ]
