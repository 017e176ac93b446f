"""The remedies API: objections.py (/api/v1/objections), repairs.py (/api/v1/repairs), views.py (answer
shapes shared by both)."""

from xinyong.remedies.api.objections import objections_router
from xinyong.remedies.api.repairs import repairs_router

__all__ = ["objections_router", "repairs_router"]
