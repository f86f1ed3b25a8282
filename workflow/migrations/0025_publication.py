"""Moderation before publication: a supervisor publishes each consented answer.

Answers already on /answers/ when this arrives were published under the rule of
their time (consent alone); they stay published rather than vanish from links
the public already holds.
"""

from django.conf import settings
from django.db import migrations, models


def keep_published(apps, schema_editor):
    Petition = apps.get_model("workflow", "Petition")
    Petition.objects.filter(
        publish_consent=True, state__in=["answered", "closed"]
    ).exclude(answered_at=None).exclude(answer="").update(publication="published")


class Migration(migrations.Migration):

    dependencies = [
        ('areas', '0002_load_units_2025'),
        ('workflow', '0024_report_figures'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name='petition',
            name='public_redactions',
            field=models.JSONField(blank=True, default=list),
        ),
        migrations.AddField(
            model_name='petition',
            name='publication',
            field=models.CharField(blank=True, choices=[('published', 'Đã công khai'), ('declined', 'Không công khai')], default='', max_length=10),
        ),
        migrations.RunPython(keep_published, migrations.RunPython.noop),
        migrations.AddIndex(
            model_name='petition',
            index=models.Index(condition=models.Q(('publication', ''), ('publish_consent', True), ('state__in', ['answered', 'closed'])), fields=['agency', 'answered_at'], name='petition_to_publish_idx'),
        ),
    ]
