"""Clean-up: judging which services of an organization are duplicates, staging their
merges for review, and purging rejected posts."""
