"""The one exception newsdigest raises for bad input or an impossible request."""


class NewsdigestError(Exception):
    """A clear, one-line problem the user can act on (no traceback needed)."""
