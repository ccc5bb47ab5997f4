"""Open Referral HSDS 3.0 in and out: the format 211 systems and referral platforms share.

`mapping` turns Sift's organizations and posts into HSDS objects and back, `export` writes
JSON documents or a tabular datapackage, `importer` reads either into existing posts, `api`
serves the HSDS API's read endpoints and `cli` adds `sift export hsds` / `sift import hsds`.
The HSDS object schemas ship in `schema/` (CC BY-SA 4.0, see its NOTICE).
"""
