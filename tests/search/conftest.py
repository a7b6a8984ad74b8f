import pytest
from django.conf import settings

import search
from guides import loading
from guides.search import guide_documents


@pytest.fixture(scope="session")
def shipped_index() -> search.Index:
    """The shipped guides' index, without outcomes or codes, built once per test run."""
    from pathlib import Path

    library = loading.load_library(Path(settings.BASE_DIR) / "content")
    return search.build_index(guide_documents(library), library.synonyms)
