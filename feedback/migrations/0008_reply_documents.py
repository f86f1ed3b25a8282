"""The agency's official reply documents: a reply stage for attachments and its SHA-256."""


from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('feedback', '0007_forget_rate_limits_schedule'),
    ]

    operations = [
        migrations.AddField(
            model_name='attachment',
            name='sha256',
            field=models.CharField(blank=True, max_length=64),
        ),
        migrations.AlterField(
            model_name='attachment',
            name='stage',
            field=models.CharField(choices=[('submission', 'Khi gửi phản ánh'), ('information', 'Khi bổ sung thông tin'), ('reply', 'Văn bản trả lời của cơ quan')], default='submission', max_length=12),
        ),
    ]
