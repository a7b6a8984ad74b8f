"""Test settings: production settings, with the few changes tests need."""

import os

os.environ.setdefault("DJANGO_SECRET_KEY", "test-secret-key-not-for-production-0123456789abcdef")
os.environ.setdefault("DJANGO_SECURE_SSL_REDIRECT", "0")

from helpcenter.settings import *  # noqa: F403

ALLOWED_HOSTS = ["testserver", "localhost", "127.0.0.1"]
# live_server serves static files itself and needs unhashed names.
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
CONTENT_CHECK_SECONDS = 0
# Renders and parsed trees are kept for the whole run (and the next), as a deployed site keeps
# them between its processes: a test on a copy of the shipped content reads them back instead
# of rendering every guide again (2 s a test). Tests of the keeping itself point it elsewhere.
CONTENT_CACHE_DIR = str(BASE_DIR / "var" / "test-content")  # noqa: F405
# Nothing written into the repository: the search index stays in memory (tests/search/
# test_store.py points it at a temporary folder where the file is tested).
SEARCH_INDEX_DIR = ""
# The reader's model is stored for the whole run (and the next): a test on a copy of the shipped
# content finds the model of the same examples on disk instead of training it again (6 s).
UNDERSTANDING_MODEL_DIR = str(BASE_DIR / "var" / "test-understanding")  # noqa: F405
UNDERSTANDING_MODEL_FILES_KEPT = 30  # tests write many small trees' models
TRIAGE_TREES_KEPT = 60  # and many small trees: the shipped one, in use, stays
# Tests read with the model of the content they wrote (one test trains in the background).
UNDERSTANDING_TRAIN_IN_BACKGROUND = False
# Canonical and shared links are built from this, never from the Host header.
SITE_URL = "http://testserver"
# SQLite in memory, unless DATABASE_URL names another database (scripts/test runs the
# database tests a second time against PostgreSQL that way).
if not os.environ.get("DATABASE_URL"):
    DATABASES = {"default": {"ENGINE": "django.db.backends.sqlite3", "NAME": ":memory:"}}
# Counters are written at once, in the request's thread (the in-memory database is per thread).
INSIGHTS_SYNC = True
# No spool between test processes (tests/insights/test_counting.py sets one where tested).
INSIGHTS_SPOOL_DIR = ""
# The limits on anonymous writes in memory: a beacon that arrives while a browser test's
# database is being emptied must not write to it (test_serving runs the database cache).
CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
# No background poller in tests (an in-memory database is per thread); tests apply revisions
# with editor.sync.apply_pending(), the two-instance stack test runs the real poller.
EDITOR_SYNC_SECONDS = 0
# live_server's requests are counted so a browser test's teardown waits for the last one.
MIDDLEWARE = ["tests.inflight.middleware", *MIDDLEWARE]  # noqa: F405
