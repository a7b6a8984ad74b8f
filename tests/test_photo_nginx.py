"""deploy/nginx.conf lets a photo through to /photo/ (its 64 KB body limit would not), and only
there, and never keeps the answer."""

from __future__ import annotations

import pytest

from tests.screen_photos import SAMPLES, photo
from tests.test_deploy_nginx import get, stack

pytestmark = pytest.mark.stack


def multipart(data: bytes) -> tuple[bytes, str]:
    boundary = "----photo"
    head = (
        f'--{boundary}\r\nContent-Disposition: form-data; name="image"; filename="s.jpg"\r\n'
        "Content-Type: image/jpeg\r\n\r\n"
    ).encode()
    return (
        head + data + f"\r\n--{boundary}--\r\n".encode(),
        f"multipart/form-data; boundary={boundary}",
    )


def test_a_phone_sized_photo_passes_nginx_and_a_huge_one_is_stopped():
    with stack() as (base, _app, _):
        big_photo = photo(SAMPLES[0], seed=0, width=4000, quality=98)
        assert len(big_photo) > 64 * 1024
        body, kind = multipart(big_photo)
        answer = get(
            base, "/photo/", method="POST", body=body, **{"Content-Type": kind, "Origin": base}
        )
        assert answer.status == 303, answer.body[:300]
        assert answer.headers["Location"] == "/codes/51/"
        assert answer.cache is None
        body, kind = multipart(b"\xff\xd8" + b"\0" * (12 * 1024 * 1024))
        refused = get(
            base, "/photo/", method="POST", body=body, **{"Content-Type": kind, "Origin": base}
        )
        assert refused.status == 413
        # Elsewhere the small limit stands.
        vote = get(
            base,
            "/guides/sign-in-after-power-off/feedback/",
            method="POST",
            body=body,
            **{"Content-Type": kind, "Origin": base},
        )
        assert vote.status == 413
