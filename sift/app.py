"""The ASGI entry point for servers other than `sift serve`:
`uvicorn --factory sift.app:create_app`.

`sift.api.create_app` serves the installed domains; importing this module installs them
(`sift.domains`), as every other entry point (the CLI, the tests) does first.
"""

from __future__ import annotations

import sift.domains  # noqa: F401  (installs the domains the app serves)
from sift.api import create_app

__all__ = ["create_app"]
