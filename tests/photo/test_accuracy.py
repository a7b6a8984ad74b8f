"""Generated photos of terminal screens land on their answer: at least 90% of at least 40.

The photos (tests/screen_photos.py) are made into a tmp dir for each run: LCD-like screens,
tilted, blurred, with glare, saved as JPEG at 50-85 quality and 2,000 px wide. Each goes
through POST /photo/ exactly as a phone without JavaScript would send it.
"""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from tests import screen_photos

pytestmark = pytest.mark.django_db


def test_the_generated_set_covers_enough_codes_and_messages():
    samples = screen_photos.SAMPLES
    assert len(samples) >= 40
    assert len({s.code for s in samples if s.code}) >= 20
    assert len({s.message for s in samples if s.message}) >= 15


def test_at_least_90_percent_of_the_photos_land_on_their_answer(client, settings, tmp_path):
    settings.PHOTO_SLOTS_DIR = str(tmp_path / "slots")
    settings.ANONYMOUS_WRITE_LIMITS = {"photo": (1000, 60)}
    missed = []
    written = screen_photos.write(tmp_path / "screens")
    for path, sample in written:
        upload = SimpleUploadedFile(path.name, path.read_bytes(), "image/jpeg")
        response = client.post(
            "/photo/", {"image": upload}, headers={"Origin": "http://testserver"}
        )
        if response.get("Location") != sample.answer:
            missed.append((path.name, sample.answer, response.status_code))
    landed = len(written) - len(missed)
    print(f"{landed} of {len(written)} photos landed on their answer; missed: {missed}")
    assert landed >= 0.9 * len(written), missed
