"""``newsdigest serve``: the desk app under uvicorn, with feed polling."""

from __future__ import annotations

import threading

from newsdigest.model import Problem


def parse_interval(text: str) -> float:
    """"15m", "90s", "2h" or plain seconds -> seconds."""
    from newsdigest.errors import NewsdigestError

    units = {"s": 1, "m": 60, "h": 3600}
    value = text.strip().lower()
    factor = units.get(value[-1:], None)
    number = value[:-1] if factor else value
    try:
        seconds = float(number) * (factor or 1)
    except ValueError:
        raise NewsdigestError(f"--poll {text!r}: expected e.g. 90s, 15m or 2h") from None
    if seconds < 10:
        raise NewsdigestError(f"--poll {text!r}: at least 10 seconds between polls")
    return seconds


def start_polling(desk, seconds: float, report) -> threading.Event:
    """Poll the desk's feeds every ``seconds`` in a daemon thread; set the returned event to stop."""
    stop = threading.Event()

    def loop() -> None:
        while not stop.wait(seconds):
            problems: list[Problem] = desk.poll_feeds()
            report(problems)

    threading.Thread(target=loop, name="newsdigest-feeds", daemon=True).start()
    return stop


def serve(desk, *, host: str, port: int, poll_seconds: float | None, report) -> None:
    import uvicorn

    from newsdigest.apps.web.app import create_app

    stop = start_polling(desk, poll_seconds, report) if poll_seconds else None
    try:
        uvicorn.run(create_app(desk), host=host, port=port, log_level="warning")
    finally:
        if stop is not None:
            stop.set()
        desk.close()
