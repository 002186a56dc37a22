from django.db.models import QuerySet

from studio.training.models import AssistantVersion


def version_list(assistant) -> QuerySet[AssistantVersion]:
    return AssistantVersion.objects.filter(assistant=assistant).select_related("created_by").order_by("-number")
