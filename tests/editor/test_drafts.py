"""editor/drafts.py: checking a draft in a scratch copy of the content."""

from __future__ import annotations

import gc
import threading

from editor import drafts


def test_a_threads_scratch_folder_is_removed_when_the_thread_ends():
    # A server that starts a thread per request (Django's live server, a threaded runserver)
    # would otherwise leave a copy of the content behind for every check.
    seen = []

    def check_in_a_thread():
        folder = drafts._scratch_folder()
        seen.append((folder.parent, folder.parent.is_dir(), drafts._scratch_folder() == folder))

    worker = threading.Thread(target=check_in_a_thread)
    worker.start()
    worker.join()
    gc.collect()
    [(root, existed, reused)] = seen
    assert existed and reused
    assert not root.exists()
