"""The registry: organizations, their sources, and the page cache the crawler fills."""
