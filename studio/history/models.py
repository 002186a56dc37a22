"""Versions of every flow, response, slot, custom action and assistant setting (django-simple-history).

The historical models live in this app (`app="history"`), so keeping history adds no migration to
the apps that own the content. A version is kept only when the content changed: saves that move
an item, bump a revision or re-store an identical import write nothing here.
"""
from __future__ import annotations

from django.db.models import signals
from django.utils import timezone
from simple_history import register
from simple_history.models import HistoricalRecords

from studio.assistants.models import Assistant, CustomAction, Flow, Response, Slot

# Bookkeeping that changes without the content changing; never a reason to keep a version.
BOOKKEEPING = frozenset({"id", "revision", "updated_at", "updated_by", "position", "source_path", "created_at"})


def acting_user(instance, request):
    """The logged-in user of the request; outside requests (Celery, commands) the service's `updated_by`."""
    if request is not None:
        return request.user
    return getattr(instance, "updated_by", None)


class ContentHistory(HistoricalRecords):
    """HistoricalRecords that skip no-op saves and keep the state an item had before its first tracked edit."""

    def __init__(self, **options):
        # simple_history.register() uses its own `app` for the module name only, not the app label.
        super().__init__(app="history", **options)

    def finalize(self, sender, **kwargs):
        super().finalize(sender, **kwargs)
        if sender is self.cls:
            signals.pre_save.connect(self.pre_save, sender=sender, weak=False)

    def _content_fields(self, instance) -> list[str]:
        return [f.attname for f in self.fields_included(instance) if f.name not in BOOKKEEPING]

    def _latest(self, instance):
        manager = getattr(type(instance), self.manager_name)
        return manager.filter(id=instance.pk).order_by("-history_date", "-history_id").first()

    def pre_save(self, instance, raw=False, **kwargs):
        # Items created before history was kept (or bulk-created without it) get their stored state
        # recorded first, so the first edit can be undone too.
        if raw or instance.pk is None or hasattr(instance, "skip_history_when_saving"):
            return
        if getattr(type(instance), self.manager_name).filter(id=instance.pk).exists():
            return
        stored = type(instance)._default_manager.filter(pk=instance.pk).first()
        if stored is None:
            return
        stored._history_user = getattr(stored, "updated_by", None)
        stored._history_date = getattr(stored, "updated_at", None) or timezone.now()
        self.create_historical_record(stored, "+")

    def post_save(self, instance, created, using=None, **kwargs):
        if not created and not kwargs.get("raw", False):
            latest = self._latest(instance)
            if latest is not None and latest.history_type != "-" and all(
                getattr(latest, attr) == getattr(instance, attr) for attr in self._content_fields(instance)
            ):
                return
        super().post_save(instance, created, using=using, **kwargs)


def _register(model, **options) -> None:
    register(model, app="studio.history", records_class=ContentHistory, get_user=acting_user, **options)


_register(Flow)
_register(Response)
_register(Slot)
_register(CustomAction)
# credentials.yml is not an editable setting and may hold secrets: no copies of it are kept.
_register(Assistant, excluded_fields=["credentials_yaml", "created_at", "updated_at", "revision", "mocks_revision"])


def _forget_deleted_assistant(sender, instance: Assistant, **kwargs) -> None:
    # Deleting an assistant deletes its content; nobody can open its history any more, so it goes too
    # (historical rows hold no foreign key that would cascade).
    for model in (Flow, Response, Slot, CustomAction):
        model.history.model.objects.filter(assistant_id=instance.pk).delete()
    Assistant.history.model.objects.filter(id=instance.pk).delete()


signals.post_delete.connect(_forget_deleted_assistant, sender=Assistant, weak=False,
                            dispatch_uid="history_forget_deleted_assistant")
