from celery import shared_task

from studio.training.build import version_build_run


@shared_task(name="training.version_build")
def version_build(version_id: int) -> str:
    version = version_build_run(version_id)
    return "deleted" if version is None else version.status
