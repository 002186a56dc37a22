"""Channel-layer group names, defined once so the task and the consumer always agree."""


def test_runs_group_name(assistant_id: int) -> str:
    # Per assistant: everyone looking at the tests page sees a run's progress.
    return f"e2etests.{assistant_id}"
