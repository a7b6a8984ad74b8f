"""Settings for the HTTP benchmark: production settings plus one trivial view to compare with."""

from helpcenter.settings import *  # noqa: F403

ROOT_URLCONF = "bench.urls"
