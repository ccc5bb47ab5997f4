"""Pages into batches that fit one pass-1 call.

A model reads ~100K characters well; more costs accuracy and risks the context limit. Batches
are packed first-fit by decreasing size (few, full batches: fewer calls), then each keeps
the pool's page order so a site's pages stay readable in sequence. A page bigger than a
whole batch is cut at paragraph boundaries into parts `p3#1`, `p3#2`, … that keep the
page's url, title and hash, so whatever a part yields still cites (and is memoised under)
its page.
"""

from __future__ import annotations

from collections.abc import Sequence

from sift.directory.extraction.types import PART_SEPARATOR, PageInput

DEFAULT_MAX_CHARS = 100_000


def page_size(page: PageInput) -> int:
    """Characters a page costs in a prompt: its content plus the header naming it."""
    return len(page.content) + len(page.url) + len(page.title or "") + 32


def split_page(page: PageInput, max_chars: int) -> list[PageInput]:
    """The page itself if it fits, else parts of at most `max_chars` each."""
    if page_size(page) <= max_chars:
        return [page]
    budget = max(1, max_chars - (page_size(page) - len(page.content)))
    chunks: list[str] = []
    current = ""
    for paragraph in page.content.split("\n\n"):
        while len(paragraph) > budget:  # one paragraph longer than a part: cut it hard
            if current:
                chunks.append(current)
                current = ""
            chunks.append(paragraph[:budget])
            paragraph = paragraph[budget:]
        candidate = f"{current}\n\n{paragraph}" if current else paragraph
        if len(candidate) > budget:
            chunks.append(current)
            current = paragraph
        else:
            current = candidate
    if current:
        chunks.append(current)
    return [
        page.model_copy(
            update={
                "id": f"{page.id}{PART_SEPARATOR}{n}",
                "content": chunk,
                "metadata": {**page.metadata, "part": n, "parts": len(chunks)},
            }
        )
        for n, chunk in enumerate(chunks, start=1)
    ]


def batch_pages(
    pages: Sequence[PageInput], max_chars: int = DEFAULT_MAX_CHARS
) -> list[list[PageInput]]:
    """Batches of at most `max_chars` characters each (oversized pages split into parts)."""
    if max_chars < 1:
        raise ValueError("max_chars must be positive")
    units = [part for page in pages for part in split_page(page, max_chars)]
    order = sorted(range(len(units)), key=lambda i: (-page_size(units[i]), i))
    bins: list[list[int]] = []
    room: list[int] = []
    for i in order:
        size = page_size(units[i])
        for b, left in enumerate(room):
            if size <= left:
                bins[b].append(i)
                room[b] -= size
                break
        else:
            bins.append([i])
            room.append(max_chars - size)
    bins.sort(key=min)
    return [[units[i] for i in sorted(members)] for members in bins]
