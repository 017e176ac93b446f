"""The REST API object: /api/v1/, OpenAPI at /api/v1/openapi.json, docs at /api/v1/docs."""

from __future__ import annotations

from ninja import NinjaAPI

from xinyong.core.api import StrictJSONParser, UnicodeJSONRenderer, install_error_handlers


class XinyongAPI(NinjaAPI):
    """NinjaAPI whose OpenAPI document declares security, problem+json errors and valid parameters
    (issue 13; see xinyong.config.openapi)."""

    def get_openapi_schema(self, *, path_prefix=None, path_params=None):
        from xinyong.config.openapi import ContractSchema

        if path_prefix is None:
            path_prefix = self.get_root_path(path_params or {})
        return ContractSchema(self, path_prefix)


api = XinyongAPI(
    title="信用 Xinyong — 公共信用信息服务平台 API",
    version="1",
    description=(
        "Public credit information service platform. "
        "Errors are RFC 9457 problem details with a stable `code`."
    ),
    renderer=UnicodeJSONRenderer(),
    parser=StrictJSONParser(),
    urls_namespace="api-v1",
)
install_error_handlers(api)


def _install_policy() -> None:
    """Every operation behind the authorisation gate (issue 12, accounts/policy.py)."""
    from xinyong.accounts.api import policy_install

    policy_install(api)


def _mount() -> None:
    from xinyong.accounts.api import router as accounts_router
    from xinyong.catalog.api import router as catalog_router
    from xinyong.oversight.api import router as plan_router
    from xinyong.subjects.api import router as subjects_router
    from xinyong.workdays.api import calendar_router

    api.add_router("/calendar", calendar_router)
    from xinyong.intake.api import router as intake_router
    from xinyong.records.api import publicity_router
    from xinyong.records.api import router as records_router
    from xinyong.reports.api import router as reports_router
    from xinyong.standing.api import search_router

    api.add_router("/search", search_router)
    api.add_router("/reports", reports_router)
    from xinyong.disclosure.api import me_router, profile_router

    api.add_router("/subjects", profile_router)  # before the subjects router: its {code} takes any path
    api.add_router("/subjects", subjects_router)
    api.add_router("/me", me_router)
    from xinyong.commitments.api import router as commitments_router
    from xinyong.commitments.api import training_router
    from xinyong.lists.api import router as lists_router
    from xinyong.measures.api import router as measures_router
    from xinyong.pushes.api import router as pushes_router

    api.add_router("/lists", lists_router)
    api.add_router("/", measures_router)  # /memoranda, /measures, /checks
    api.add_router("/pushes", pushes_router)
    from xinyong.remedies.api import objections_router, repairs_router

    api.add_router("/objections", objections_router)
    api.add_router("/repairs", repairs_router)
    api.add_router("/commitments", commitments_router)
    api.add_router("/training", training_router)
    from xinyong.tipoffs.api import router as tipoffs_router

    api.add_router("/tipoffs", tipoffs_router)
    api.add_router("/", intake_router)  # /submissions
    api.add_router("/", records_router)  # /records/{id}/withdrawal, /timeliness
    api.add_router("/publicity", publicity_router)
    api.add_router("/catalog", catalog_router)
    api.add_router("/units", accounts_router)
    api.add_router("/plan", plan_router)


_mount()
_install_policy()
