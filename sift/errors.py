"""The root of every error a user can act on.

The CLI, the API and the UI show such an error's message as one line; anything else is a
bug and keeps its traceback.
"""


class SiftError(Exception):
    """An error whose message tells the user what was wrong and what to do."""
