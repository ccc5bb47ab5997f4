"""The one list of Sift's domains: the composition root.

Importing this module installs the domains into `sift.contract`, where the core reads
them. The entry points import it (`sift.cli`, `sift.api`); a script that starts the
workflow runtime on its own imports it first, so every domain's workflows are registered.
"""

from __future__ import annotations

from sift import contract
from sift.directory.domain import DOMAIN as DIRECTORY
from sift.inbox.domain import DOMAIN as INBOX

DOMAINS: tuple[contract.Domain, ...] = (DIRECTORY, INBOX)

contract.install(DOMAINS)
