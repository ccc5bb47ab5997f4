"""The public face: the residents' pages, search, calendars and schema.org markup."""
