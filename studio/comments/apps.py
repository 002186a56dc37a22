from django.apps import AppConfig


class CommentsConfig(AppConfig):
    name = "studio.comments"
    label = "comments"

    def ready(self) -> None:
        # Threads follow their flow, step or response through renames and saves made by any service.
        from studio.comments import signals  # noqa: F401
