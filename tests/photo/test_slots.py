"""Photos read at once are bounded across processes (gunicorn's workers), not only threads."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest

from photo import slots

HOLD = """
import fcntl, os, sys, time
fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o600)
fcntl.flock(fd, fcntl.LOCK_EX)
print("held", flush=True)
time.sleep(float(sys.argv[2]))
"""


@pytest.fixture
def folder(settings, tmp_path):
    settings.PHOTO_SLOTS_DIR = str(tmp_path)
    settings.PHOTO_WAIT_SECONDS = 0.3
    return tmp_path


def test_a_slot_held_by_another_process_makes_this_one_wait_then_give_up(folder):
    other = subprocess.Popen(
        [sys.executable, "-c", HOLD, str(folder / "slot-0"), "5"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert other.stdout.readline().strip() == "held"
        start = time.monotonic()
        with pytest.raises(slots.Busy), slots.slot():
            pass
        assert 0.25 <= time.monotonic() - start < 2
    finally:
        other.kill()
        other.wait()
    # The kernel released the dead process's lock: the slot is free again.
    with slots.slot():
        pass


def test_a_slot_is_free_again_after_a_read_that_failed(folder):
    with pytest.raises(RuntimeError), slots.slot():
        raise RuntimeError("the reader broke")
    with slots.slot():
        pass


def test_the_slot_files_stay_empty(folder):
    with slots.slot():
        pass
    assert [p.stat().st_size for p in folder.iterdir()] == [0]
