"""Extraction: an organisation's pooled pages in, one canonical post per real service out.

Three passes, each callable on its own so the workflow can checkpoint it: `narratives`
(per batch of pages), `dedupe` (across all narratives), `investigate` (per narrative).
"""

from sift.directory.extraction.batching import DEFAULT_MAX_CHARS, batch_pages, split_page
from sift.directory.extraction.engine import (
    ExtractionEngine,
    build_engine,
    extract_posts,
    investigated,
    merged_narratives,
    narratives_for_batches,
)
from sift.directory.extraction.types import (
    Contact,
    ExtractedPost,
    ExtractionError,
    ExtractionNotConfigured,
    ExtractionOutputInvalid,
    Narrative,
    PageInput,
    ScheduleEntry,
    TagSet,
    base_page_id,
    post_key,
)

__all__ = [
    "DEFAULT_MAX_CHARS",
    "Contact",
    "ExtractedPost",
    "ExtractionEngine",
    "ExtractionError",
    "ExtractionNotConfigured",
    "ExtractionOutputInvalid",
    "Narrative",
    "PageInput",
    "ScheduleEntry",
    "TagSet",
    "base_page_id",
    "batch_pages",
    "build_engine",
    "extract_posts",
    "investigated",
    "merged_narratives",
    "narratives_for_batches",
    "post_key",
    "split_page",
]
