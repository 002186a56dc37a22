from django.db.models import QuerySet

from studio.training.models import AssistantVersion
from studio.training.services import version_sweep


def version_list(assistant) -> QuerySet[AssistantVersion]:
    """The assistant's versions, newest first, after sweeping its stuck builds (so no page waits on beat)."""
    version_sweep(assistant=assistant)
    # Listing never needs the snapshot (87 KB of JSON decoded per version on the demo).
    return (AssistantVersion.objects.filter(assistant=assistant).select_related("created_by").defer("snapshot")
            .order_by("-number"))
