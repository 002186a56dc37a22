# Import the Celery app so `@shared_task` binds to it whenever Django starts.
from studio.celery import app as celery_app

__all__ = ["celery_app"]
