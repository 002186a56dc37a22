"""Channel-layer group names, defined once so senders and consumers always agree."""


def tryit_group_name(assistant_id: int, user_id: int) -> str:
    # Per user and assistant: try-it sessions are private to the person testing.
    return f"tryit.{assistant_id}.{user_id}"
