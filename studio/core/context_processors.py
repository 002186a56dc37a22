from django.http import HttpRequest

from studio.assistants.selectors import assistant_list_for_user


def studio(request: HttpRequest) -> dict:
    """The assistants the user can open, for the switcher in the page header (a lazy queryset)."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"switcher_assistants": []}
    return {"switcher_assistants": assistant_list_for_user(user)}
