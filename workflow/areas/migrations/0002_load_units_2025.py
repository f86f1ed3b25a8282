"""Load the 34 provinces and 3,321 communes in force since 1 July 2025."""

from django.db import migrations


def load(apps, schema_editor):
    from workflow.areas.loading import load_units

    load_units(apps.get_model("areas", "Province"), apps.get_model("areas", "Commune"))


def unload(apps, schema_editor):
    apps.get_model("areas", "Commune").objects.filter(valid_from="2025-07-01").delete()
    apps.get_model("areas", "Province").objects.filter(valid_from="2025-07-01").delete()


class Migration(migrations.Migration):
    dependencies = [("areas", "0001_initial")]
    operations = [migrations.RunPython(load, unload)]
