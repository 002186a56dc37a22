"""Waiting, in a test, for something another thread does."""
import threading


def eventually(check, seconds: float = 10.0) -> bool:
    """Whether `check()` holds within `seconds`, asked every 10 ms."""
    pause = threading.Event()
    for _ in range(int(seconds * 100)):
        if check():
            return True
        pause.wait(0.01)
    return check()
