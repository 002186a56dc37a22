from celery import shared_task

from studio.training.build import version_build_run


@shared_task(name="training.version_build")
def version_build(version_id: int) -> str:
    """Build one version. Late acks may deliver it twice; the second delivery changes nothing."""
    version = version_build_run(version_id)
    return "deleted" if version is None else version.status


@shared_task(name="training.version_sweep")
def version_sweep() -> int:
    """Beat's minutely sweep of stuck builds, for every assistant."""
    # HackSoft's way out of the cycle: services import this module to send builds.
    from studio.training.services import version_sweep as sweep

    return sweep()
