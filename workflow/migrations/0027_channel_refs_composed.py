"""Senders' ids in Unicode's composed form (NFC), as intake now stores and looks
them up (workflow.intake_rules.clean_channel_ref): a stored decomposed id would
no longer match its sender's retry. An id whose composed form another petition of
the same sender already holds is left as it is: the two are separate petitions,
and merging them is a person's decision."""

import unicodedata

from django.db import migrations


def compose_channel_refs(apps, schema_editor):
    Petition = apps.get_model("workflow", "Petition")
    stored = Petition.objects.filter(channel_ref__regex=r"[^\x01-\x7f]").values_list(
        "pk", "channel", "integration_id", "channel_ref"
    )
    for pk, channel, integration_id, ref in stored.iterator():
        composed = unicodedata.normalize("NFC", ref)
        if composed == ref:
            continue
        taken = Petition.objects.filter(
            channel=channel, integration_id=integration_id, channel_ref=composed
        ).exists()
        if not taken:
            Petition.objects.filter(pk=pk).update(channel_ref=composed)


class Migration(migrations.Migration):
    dependencies = [
        ("workflow", "0026_calendar_end_of_day_and_target_messages"),
    ]

    operations = [
        migrations.RunPython(compose_channel_refs, migrations.RunPython.noop),
    ]
