from celery import shared_task


@shared_task(name="e2etests.test_run_execute")
def test_run_execute(run_id: int) -> str:
    """Run one queued TestRun; a deleted run (or assistant) is skipped."""
    from studio.e2etests.services import test_run_execute as execute

    run = execute(run_id=run_id)
    return "deleted" if run is None else run.status
