"""`sift bench crawl` runs end to end on its generated site and reports sane figures.

Speed is not asserted: the machine and its load decide it, not the code.
"""

from __future__ import annotations

import json

from typer.testing import CliRunner

from sift.benchmarks import generate_site
from sift.cli import app


def test_bench_crawl_reports_rates_and_page_count() -> None:
    result = CliRunner().invoke(app, ["bench", "crawl", "--pages", "30", "--json"])
    assert result.exit_code == 0, result.output
    summary = json.loads(result.stdout.strip().splitlines()[-1])
    assert summary["pages"] == 30
    assert summary["crawl_fetched"] == 30
    assert summary["crawl_pages_per_s"] > 0
    assert summary["raw_pages_per_s"] > 0
    assert summary["ratio"] > 0
    assert summary["peak_mem_mb"] >= 0
    assert "Sift crawler" in result.stdout  # the table


def test_generated_pages_are_realistic_and_all_reachable_by_links() -> None:
    site = generate_site(60, "http://127.0.0.1:1")
    sizes = [len(site.files[p][0]) for p in site.page_paths]
    assert len(set(site.page_paths)) == 60
    assert all(3_000 <= s <= 8_192 for s in sizes)
    # Every page but the root is linked from its parent in the tree, so a crawl that
    # ignored the sitemap would still reach all of them.
    linked = {
        path for page in site.page_paths for path in site.page_paths
        if f'href="{path}"'.encode() in site.files[page][0]
    }  # fmt: skip
    assert set(site.page_paths) - {"/"} <= linked
    assert b"Sitemap:" in site.files["/robots.txt"][0]
    assert site.files["/sitemap.xml"][0].count(b"<loc>") == 60
