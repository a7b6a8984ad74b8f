import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpcenter.settings")

# Start-up makes millions of objects that live as long as the process (the rendered guides, the
# search index, the reader's model). The cyclic collector would walk them again and again for
# nothing (40 ms of a new process's start at 5,000 guides) and, in a forked worker, touch every
# page they sit on. So, as Python's gc.freeze() documentation advises for a server that forks:
# no collection while loading, then everything loaded is moved out of the collector's sight.
gc.disable()

application = get_wsgi_application()


def _warm_up() -> None:
    """Load and render the content (and what is built from it) before the first request."""
    from helpcenter import status
    from helpcenter.caching import release

    status.warm_up()  # what the apps registered: the library, the search index
    release()  # the code's digest, part of every ETag: once here, not in each forked worker


try:
    _warm_up()
finally:
    gc.freeze()
    gc.enable()
