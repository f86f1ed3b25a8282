"""Every API key belongs to an integration, and every machine-door petition records
the integration that filed it, where that can be known.

Each existing key becomes an integration of its own name. A petition filed
before through the intake API or Open311 is given an integration only when
exactly one key ever existed: keys are the only way in and are never deleted,
so that key filed every such petition. With several keys which key filed what
was never recorded; those petitions stay without an integration (no key reads
them; the public Open311 view still lists the published ones) until an operator
who knows attributes them: `manage.py attribute_petitions INTEGRATION --channel …`.
"""

import django.db.models.deletion
from django.db import migrations, models

MACHINE_CHANNELS = ("portal", "open311")


def give_keys_integrations(apps, schema_editor):
    ApiKey = apps.get_model("integrations", "ApiKey")
    Integration = apps.get_model("workflow", "Integration")
    Petition = apps.get_model("workflow", "Petition")
    for key in ApiKey.objects.order_by("pk"):
        key.integration = Integration.objects.create(
            name=key.name, created_at=key.created_at
        )
        key.save(update_fields=["integration"])
    only = list(Integration.objects.all()[:2])
    if len(only) == 1:
        Petition.objects.filter(
            channel__in=MACHINE_CHANNELS, integration__isnull=True
        ).update(integration=only[0])


def take_integrations_back(apps, schema_editor):
    Petition = apps.get_model("workflow", "Petition")
    Petition.objects.update(integration=None)
    apps.get_model("integrations", "ApiKey").objects.update(integration=None)
    apps.get_model("workflow", "Integration").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("integrations", "0001_api_keys"),
        ("workflow", "0019_integrations"),
    ]

    operations = [
        migrations.AddField(
            model_name="apikey",
            name="integration",
            field=models.ForeignKey(
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_keys",
                to="workflow.integration",
            ),
        ),
        migrations.RunPython(give_keys_integrations, take_integrations_back),
        migrations.AlterField(
            model_name="apikey",
            name="integration",
            field=models.ForeignKey(
                on_delete=django.db.models.deletion.PROTECT,
                related_name="api_keys",
                to="workflow.integration",
            ),
        ),
    ]
