"""The service judgement on the probes of organizations it was not first written against
(`same_service_probe.py`, `_b.py`, `_c.py`): a floor, so that a rule fitted to
the dev set that costs a probe a wrong merge, or a duplicate it used to find, fails here
and not on real posts."""

from __future__ import annotations

from typing import TYPE_CHECKING

from tests.directory.same_service_probe import PROBE, score_probe
from tests.directory.same_service_probe_b import PROBE_B
from tests.directory.same_service_probe_c import PROBE_C

if TYPE_CHECKING:
    from sift.ai.embeddings import Embedder


def test_the_probe_merges_no_look_alike_and_finds_its_duplicates(embedder: Embedder) -> None:
    found = score_probe(embedder)
    assert (found.look_alikes, found.gold) == (45, 24)  # the probe as written, whole
    assert found.look_alikes_merged == []
    assert found.wrong == []
    assert found.precision == 1.0
    assert found.recall == 1.0, found.missed


def test_the_second_probe_merges_no_look_alike_and_finds_its_duplicates(
    embedder: Embedder,
) -> None:
    """Written after the first probe's fixes and scored before any of its own: 0.643 /
    0.818 then (a playgroup and a music class, a baby and a food pantry, two workshops of
    one series, the passport and the notary desk merged)."""
    found = score_probe(embedder, PROBE_B)
    assert (found.look_alikes, found.gold) == (23, 11)
    assert (found.wrong, found.missed) == ([], [])


def test_the_third_probe_merges_no_look_alike_and_finds_its_duplicates(
    embedder: Embedder,
) -> None:
    """Written after the second probe's fixes, committed before it was scored: 1.000 /
    1.000 then, with nothing changed for it."""
    found = score_probe(embedder, PROBE_C)
    assert (found.look_alikes, found.gold) == (15, 7)
    assert (found.wrong, found.missed) == ([], [])


def test_every_probe_pair_names_posts_of_its_organization() -> None:
    for org in (*PROBE, *PROBE_B, *PROBE_C):
        ids = {post["id"] for post in org.posts}
        named = {i for pair in org.look_alikes for i in pair[:2]}
        named |= {i for group in org.duplicates for i in group}
        assert named <= ids, org.org
