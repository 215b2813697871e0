"""What ``govkg serve --workers N`` hands to its worker processes through the environment.

The supervising process sets these and imports nothing of the app, so the workers it
spawns start sooner; each worker's ``govkg.api.app.app_from_env`` reads them.
"""

SERVE_STORE = "GOVKG_SERVE_STORE"  # the store file to serve
SERVE_HOST = "GOVKG_SERVE_HOST"  # the host listened on (the write policy depends on it)
