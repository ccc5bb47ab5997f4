"""Source fetchers: websites and social accounts in, `RawPage`s out (never posts).

Import from the module that holds a name (`pages`, `website`, `social`, `fetchers`, ...):
this package re-exports nothing, so reading a `RawPage` does not load the crawler."""
