"""The one exception newsdigest raises for bad input or an impossible request."""


class NewsdigestError(ValueError):
    """A clear, one-line problem the user can act on (no traceback needed).

    A subclass of :class:`ValueError`, so callers that already catch
    ``ValueError`` for bad arguments keep working.
    """
