"""Builds get states queued/running/ready/failed with a reason, timestamps and attempts.

Rows left `pending` by the old code become queued, so the sweeper sends them to a worker again.
"""
from django.db import migrations, models
from django.db.models import F


def pending_to_queued(apps, schema_editor):
    versions = apps.get_model("training", "AssistantVersion").objects
    versions.update(queued_at=F("created_at"), attempts=1)
    versions.filter(status="pending").update(status="queued")


def queued_to_pending(apps, schema_editor):
    apps.get_model("training", "AssistantVersion").objects.filter(status__in=("queued", "running")).update(
        status="pending")


class Migration(migrations.Migration):

    dependencies = [
        ('training', '0001_initial'),
    ]

    operations = [
        migrations.AddField(
            model_name='assistantversion',
            name='attempts',
            field=models.PositiveSmallIntegerField(default=0),
        ),
        migrations.AddField(
            model_name='assistantversion',
            name='finished_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='assistantversion',
            name='queued_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AddField(
            model_name='assistantversion',
            name='reason',
            field=models.TextField(blank=True),
        ),
        migrations.AddField(
            model_name='assistantversion',
            name='started_at',
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.AlterField(
            model_name='assistantversion',
            name='status',
            field=models.CharField(choices=[('queued', 'Queued'), ('running', 'Running'), ('ready', 'Ready'), ('failed', 'Failed')], default='queued', max_length=16),
        ),
        migrations.AddIndex(
            model_name='assistantversion',
            index=models.Index(condition=models.Q(('status__in', ('queued', 'running'))), fields=['status'], name='version_unfinished'),
        ),
        # Last: PostgreSQL refuses DDL after the update in the same transaction (pending trigger events).
        migrations.RunPython(pending_to_queued, queued_to_pending),
    ]
