"""Benchmark commands: `sift bench …` measures Sift's own throughput on local, generated data.

A crawl rate on its own says little: it moves with the machine, the load beside it and the
server. So `sift bench crawl` serves a generated site from this process and, in the same
run, measures both what plain httpx gets out of that server (the ceiling: fetch the URLs,
read the bodies, nothing else) and what Sift's crawler gets (robots.txt, sitemap, the SSRF
guard, link extraction, markdown conversion). Their ratio is what the crawler costs and is
comparable across machines; the absolute rates only within one.

`sift bench extract` does the same for extraction: wall time, model calls and prompt size
per page, and the cost of a re-run over unchanged pages; `sift bench search` times the
public search beside a plain indexed ILIKE.

One module per benchmark (`crawl`, `extract`, `search`), each beside the generated data it
runs on (`site`, `org`). Nothing in the runtime imports this package: a benchmark drives
the product's own code, never the other way round.
"""
