from django.db.models import QuerySet

from studio.accounts.models import Membership


def member_list(assistant) -> QuerySet[Membership]:
    return Membership.objects.filter(assistant=assistant).select_related("user").order_by("user__username")
