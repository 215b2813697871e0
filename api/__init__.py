"""User-facing interfaces: the FastAPI app, its page and the ``govkg`` command line."""
