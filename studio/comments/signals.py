"""Keep threads on their target when flows and responses are saved, renamed, deleted and re-created.

Signals rather than calls from each service: flows and responses are written by the editor, the
rename service, history restore and translations, and a thread must follow every one of them.
Bulk writes (an import's bulk_update) send no signals; a step they renumber leaves its thread outdated.
"""
from __future__ import annotations

from django.db.models.signals import post_save, pre_save
from django.dispatch import receiver

from studio.assistants.models import Flow, Response
from studio.comments.models import TargetKind, Thread
from studio.comments.steps import follow_step_ids


@receiver(pre_save, sender=Flow)
def _flow_follow(sender, instance: Flow, raw: bool = False, **kwargs) -> None:
    if raw or instance.pk is None:
        return
    threads = list(Thread.objects.filter(flow_id=instance.pk).only("pk", "step_id", "target_name"))
    if not threads:  # the common case costs one query
        return
    before = Flow.objects.filter(pk=instance.pk).values_list("flow_id", "steps").first()
    moved = follow_step_ids(before[0], before[1], instance.flow_id, instance.steps) if before else {}
    for thread in threads:
        step_id = moved.get(thread.step_id, thread.step_id)
        if step_id != thread.step_id or thread.target_name != instance.flow_id:
            Thread.objects.filter(pk=thread.pk).update(step_id=step_id, target_name=instance.flow_id)


@receiver(pre_save, sender=Response)
def _response_follow(sender, instance: Response, raw: bool = False, **kwargs) -> None:
    if not raw and instance.pk is not None:
        Thread.objects.filter(response_id=instance.pk).exclude(target_name=instance.name).update(
            target_name=instance.name)


@receiver(post_save, sender=Flow)
def _flow_back(sender, instance: Flow, created: bool, raw: bool = False, **kwargs) -> None:
    """A flow created again under a deleted one's id (history restore, undo) gets its threads back."""
    if created and not raw:
        Thread.objects.filter(assistant_id=instance.assistant_id, kind=TargetKind.FLOW_STEP, flow=None,
                              target_name=instance.flow_id).update(flow=instance)


@receiver(post_save, sender=Response)
def _response_back(sender, instance: Response, created: bool, raw: bool = False, **kwargs) -> None:
    if created and not raw:
        Thread.objects.filter(assistant_id=instance.assistant_id, kind=TargetKind.RESPONSE, response=None,
                              target_name=instance.name).update(response=instance)
