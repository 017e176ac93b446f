"""The public pages (门户): no account needed, Chinese, server-rendered; each calls its app's selectors.
Paths unchanged from the remedies and reports apps (a report's QR code opens /reports/verify)."""

from django.urls import path

from xinyong.portal.cases import case_page, cases_page
from xinyong.portal.columns import commitments_page, licences_page, penalties_page
from xinyong.portal.home import home_page
from xinyong.portal.listpages import list_type_page, lists_page
from xinyong.portal.policies import plan_page, policies_page
from xinyong.portal.progress import progress_page
from xinyong.portal.record import record_page
from xinyong.portal.search import search_page
from xinyong.portal.selfservice.consents import consent_revoke_page, consents_page
from xinyong.portal.selfservice.home import me_page, query_log_page
from xinyong.portal.selfservice.objections import objection_new_page
from xinyong.portal.selfservice.repairs import repair_new_page
from xinyong.portal.selfservice.reports import report_download, report_new_page
from xinyong.portal.subject import subject_page
from xinyong.portal.tipoff import tipoff_new_page
from xinyong.portal.verify import verify_page

app_name = "portal"
urlpatterns = [
    path("reports/verify", verify_page, name="verify"),
    path("progress/", progress_page, name="progress"),
    path("tipoffs/new", tipoff_new_page, name="tipoff_new"),
    path("me/", me_page, name="me"),
    path("me/query-log/", query_log_page, name="me_query_log"),
    path("me/objections/new", objection_new_page, name="me_objection_new"),
    path("me/repairs/new", repair_new_page, name="me_repair_new"),
    path("me/reports/new", report_new_page, name="me_report_new"),
    path("me/reports/<str:number>.pdf", report_download, name="me_report_download"),
    path("me/consents/", consents_page, name="me_consents"),
    path("me/consents/<int:consent_id>/revoke", consent_revoke_page, name="me_consent_revoke"),
    path("search/", search_page, name="search"),
    path("subjects/<str:code>/", subject_page, name="subject"),
    path("records/<int:record_id>/", record_page, name="record"),
    path("publicity/licences/", licences_page, name="licences"),
    path("publicity/penalties/", penalties_page, name="penalties"),
    path("lists/", lists_page, name="lists"),
    path("lists/<slug:code>/", list_type_page, name="list_type"),
    path("commitments/", commitments_page, name="commitments"),
    path("cases/", cases_page, name="cases"),
    path("cases/<int:case_id>/", case_page, name="case"),
    path("policies/", policies_page, name="policies"),
    path("plan/", plan_page, name="plan"),
    path("", home_page, name="home"),
]
