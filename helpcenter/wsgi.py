import logging
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")

application = get_wsgi_application()


def _warm_up() -> None:
    """Load and render the content (and what is built from it) before the first request."""
    from helpcenter.caching import release
    from helpcenter.checks import current_errors
    from helpcenter.content import get_library

    library = get_library()
    current_errors()  # logs what an editor broke, before the first merchant meets it
    release()  # the code's digest, part of every ETag: once here, not in each forked worker
    try:
        from helpcenter import search

        search.get_index()
    except Exception:  # a broken index must not stop the site from serving guides
        logging.getLogger(__name__).exception("search index could not be built at start-up")
    return library


_warm_up()
