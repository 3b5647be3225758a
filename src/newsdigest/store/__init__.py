"""The store: articles, stories and digests in SQLite (see :mod:`newsdigest.store.store`)."""

from newsdigest.store.schema import SCHEMA_VERSION, migrate
from newsdigest.store.store import Store, articles_hash, content_hash

__all__ = ["SCHEMA_VERSION", "Store", "articles_hash", "content_hash", "migrate"]
