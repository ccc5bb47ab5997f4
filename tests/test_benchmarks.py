"""`sift bench crawl` and `sift bench extract` run end to end and report sane figures.

Speed is not asserted: the machine and its load decide it, not the code.
"""

from __future__ import annotations

import importlib.util
import json
import os
import subprocess
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

from typer.testing import CliRunner

from sift.cli import app
from sift.directory.bench.org import generate_org
from sift.directory.bench.site import generate_site

ROOT = Path(__file__).resolve().parents[1]


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


def load_llm_bench() -> ModuleType:
    """bench/ is scripts, not a package: load the LLM bench's answering server by path."""
    spec = importlib.util.spec_from_file_location(
        "bench_extract_llm", ROOT / "bench" / "bench_extract_llm.py"
    )
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_bench_extract_reports_both_engines_and_a_free_unchanged_rerun(
    pg_admin_url: str,
) -> None:
    """In its own process (the bench starts and stops the workflow runtime), against the
    test server (it creates and drops its own database there), with the LLM engine talking
    to the bench's answering server in this process."""
    with load_llm_bench().AnsweringServer() as server:
        done = subprocess.run(
            [sys.executable, "-m", "sift.cli", "bench", "extract", "--pages", "20", "--json",
             "--llm-base-url", server.base_url],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": str(ROOT), "SIFT_DATABASE_URL": pg_admin_url},
            capture_output=True,
            text=True,
            timeout=240,
        )  # fmt: skip
        assert done.returncode == 0, done.stderr[-4000:]
        answered = len(server.chat_requests)
    summary = json.loads(done.stdout.strip().splitlines()[-1])
    assert summary["pages"] == 20 == summary["website_pages"] + summary["social_posts"]
    runs = {(r["engine"], r["run"]): r for r in summary["runs"]}
    assert list(runs) == [
        ("rules", "first"), ("rules", "unchanged"), ("llm", "first"), ("llm", "unchanged"),
    ]  # fmt: skip
    for engine in ("rules", "llm"):
        first, again = runs[(engine, "first")], runs[(engine, "unchanged")]
        assert first["status"] == "completed" and first["seconds"] > 0
        assert first["posts_extracted"] >= summary["services"] // 2
        assert first["proposals_staged"] > 0
        assert again["status"] == "unchanged"
        assert again["llm_calls"] == 0 and again["prompt_chars"] == 0
    assert runs[("rules", "first")]["llm_calls"] == 0
    assert runs[("llm", "first")]["llm_calls"] == answered > 0
    assert runs[("llm", "first")]["prompt_chars_per_page"] > 100
    assert "engine" in done.stdout  # the table


def test_generated_org_has_services_on_both_sources_and_duplicates() -> None:
    org = generate_org(200)
    assert len(org.pages) == 200 and org.services == 80
    assert org.website_pages > 80 and org.social_posts > 80
    assert len({(p.source, p.path) for p in org.pages}) == 200
    reposts = [n for n in Counter(p.content for p in org.pages).values() if n > 1]
    assert reposts  # the same post under two URLs
    phones_on_social = sum("(555) 2" in p.content for p in org.pages if p.source != "website")
    assert phones_on_social > 60  # most posts announce a service the website describes
    assert generate_org(200) == org  # deterministic
