import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load and render the content (and what is built from it) before the first request."""
    from helpcenter import status
    from helpcenter.caching import release

    status.warm_up()  # what the apps registered: the library, the search index
    release()  # the code's digest, part of every ETag: once here, not in each forked worker


_warm_up()
