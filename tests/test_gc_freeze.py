"""The app's start-up objects are frozen out of the garbage collector's full collections."""

from __future__ import annotations

import gc

from spring.app import create_app
from spring.settings import Settings
from tests.live import running


async def test_startup_freezes_what_lives_as_long_as_the_process(
    settings: Settings, app_url: str
) -> None:
    gc.unfreeze()  # earlier apps of this test session froze theirs
    assert gc.get_freeze_count() == 0
    application = create_app(settings, app_url)
    built = application.state.settings  # built before the lifespan starts
    async with running(application):
        assert gc.get_freeze_count() > 0
        # What start-up built is among the frozen objects, not re-scanned by full collections.
        assert not any(built is o for o in gc.get_objects(generation=2))
    gc.unfreeze()
