"""The REST API v1 under /api/v1/: records and taxonomies as JSON."""
