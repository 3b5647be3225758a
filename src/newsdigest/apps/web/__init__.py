"""The web desk: a service and pages over the story store (``newsdigest serve``)."""
