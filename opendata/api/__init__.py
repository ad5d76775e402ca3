"""The public read API (/api/v1/): Django REST framework with an OpenAPI 3 schema from
drf-spectacular. Read-only and anonymous: the same public data for everyone, built by
opendata.public_data (shared with the open-data files)."""
