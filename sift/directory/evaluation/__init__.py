"""The directory's scorers (`sift eval dedup|extraction|cleanup`): `commands` holds the
commands, `dedup_scoring` and `cleanup_scoring` the reading and scoring of their labelled
files. Apart from the runtime: nothing the product runs imports this package.
"""
