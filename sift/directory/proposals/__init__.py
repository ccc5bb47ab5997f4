"""Proposals: how extracted or edited content is staged in batches, reviewed, applied,
restored and reverted (no change reaches a post without one)."""
