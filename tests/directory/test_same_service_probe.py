"""The service judgement on the probe of ten organizations it was not written against
(`same_service_probe.py`): a floor, so that a rule fitted to the dev set that costs the
probe a wrong merge, or a duplicate it used to find, fails here and not on real posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.directory.same_service_probe import PROBE, score_probe

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder


def test_the_probe_merges_no_look_alike_and_finds_its_duplicates(embedder: Embedder) -> None:
    found = score_probe(embedder)
    assert (found.look_alikes, found.gold) == (45, 24)  # the probe as written, whole
    assert found.look_alikes_merged == []
    assert found.wrong == []
    assert found.precision == 1.0
    assert found.recall == 1.0, found.missed


def test_every_probe_pair_names_posts_of_its_organization() -> None:
    for org in PROBE:
        ids = {post["id"] for post in org.posts}
        named = {i for pair in org.look_alikes for i in pair[:2]}
        named |= {i for group in org.duplicates for i in group}
        assert named <= ids, org.org
