"""What the published OpenAPI schema describes: the open data under /api/v1/,
not the admin's internal endpoints."""


def only_open_data(endpoints):
    """drf-spectacular preprocessing hook."""
    return [
        (path, path_regex, method, callback)
        for path, path_regex, method, callback in endpoints
        if path.startswith("/api/v1/")
    ]
