"""The root of every error a user can act on.

The CLI, the API and the UI show such an error's message as one line; anything else is a
bug and keeps its traceback.
"""


class SiftError(Exception):
    """An error whose message tells the user what was wrong and what to do."""


class NotFound(SiftError):
    """The thing asked for does not exist (or is not the caller's to see)."""


class Unavailable(SiftError):
    """A service Sift needs (the database, the LLM) cannot be reached: retrying later may
    work, so HTTP callers get 503 and webhooks are sent again."""
