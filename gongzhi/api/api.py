"""The JSON API at /api/v1 (django-ninja; OpenAPI 3 at /api/v1/openapi.json).

Each part is a router in its own module: ``stats`` (the dashboard's figures),
``public`` (read access to public records), ``writes`` (authenticated actions through
the same services as the pages), ``opendata`` (Popolo and meetings as events).
Errors are JSON ``{"detail": "<message in the request's language>"}`` with the
status the pages would use: 400 bad input, 401 no or bad token, 403 not allowed,
404 not found, 409 not allowed in the current state.
"""

from ninja import NinjaAPI

from . import errors
from .opendata import router as opendata_router
from .public import router as public_router
from .stats import router as stats_router
from .writes import router as writes_router

api = NinjaAPI(
    title="Gongzhi API",
    version="1",
    description="Participatory community planning: public records, figures and open data.",
    urls_namespace="api",
    # The interactive docs page loads its assets from a CDN and runs an inline
    # script: neither is allowed here (no CDN, strict CSP). The schema is at
    # /api/v1/openapi.json for any OpenAPI viewer.
    docs_url=None,
)
errors.install(api)
api.add_router("/stats", stats_router, tags=["stats"])
api.add_router("/", public_router, tags=["public"])
api.add_router("/", writes_router, tags=["writes"])
api.add_router("/open-data", opendata_router, tags=["open data"])
