"""Every table of every domain, imported in one place for Alembic and the drift test."""

from sift import auth as auth_models
from sift import quality as quality_models
from sift import security as security_models
from sift.db import Base
from sift.directory import models as directory_models
from sift.inbox import models as inbox_models

metadata = Base.metadata

__all__ = [
    "auth_models",
    "directory_models",
    "inbox_models",
    "metadata",
    "quality_models",
    "security_models",
]
