"""Check items gain a problem wording; items shipped with the city get theirs from the template file."""

import json
from pathlib import Path

from django.conf import settings
from django.db import migrations, models


def fill_from_shipped_file(apps, schema_editor):
    """Shipped items (by template and item code) take the file's wording; the city's own stay empty to edit."""
    path = Path(settings.BASE_DIR) / "fixtures" / "patrols" / "check_templates.json"
    shipped = json.loads(path.read_text(encoding="utf-8"))
    wording = {
        (template["code"], item["code"]): item["problem"]
        for template in shipped["templates"]
        for item in template["items"]
    }
    CheckItem = apps.get_model("patrols", "CheckItem")
    for item in CheckItem.objects.select_related("template").filter(problem=""):
        problem = wording.get((item.template.code, item.code))
        if problem:
            item.problem = problem
            item.save(update_fields=["problem"])


class Migration(migrations.Migration):
    dependencies = [("patrols", "0001_initial")]

    operations = [
        migrations.AddField(
            model_name="checkitem",
            name="problem",
            field=models.CharField(
                default="",
                help_text="发现问题时工单和巡查记录使用的说法。",
                max_length=100,
                verbose_name="问题表述",
            ),
            preserve_default=False,
        ),
        migrations.RunPython(fill_from_shipped_file, migrations.RunPython.noop),
    ]
