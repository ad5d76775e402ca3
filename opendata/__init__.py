"""Open data: the public read API (/api/v1/), the public data it and the open-data files
share (public_data), the dated open-data builds and their page."""
