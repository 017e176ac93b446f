"""The signed-in subject's own pages (issue 14: 我的账户), for a verified subject account and for an agent
acting for a subject within its power of attorney (accounts/acting.py, accounts/policy.py `agency_actor`).

common.py      who is signed in and for which subject; the refusal page
home.py        /me/ (identity, standing, objections and repairs) and /me/query-log/
objections.py  /me/objections/new: file an objection on one of the subject's records
repairs.py     /me/repairs/new: read the conditions of repair, then apply
reports.py     /me/reports/new: issue the subject's own credit report (full or 专项) and download it once
consents.py    /me/consents/: list, grant and revoke the subject's consents (查询授权)

They live in the portal (the top tier) because they call the remedies, disclosure and standing apps, which
`accounts` sits below; /me/acting/ (choosing the subject) is accounts/selfservice.py. Every page calls the
same services as the API, with the Actor of the session; an agent's Actor is bound to the page's operation
first, which refuses an operation outside the power of attorney (403 `agency.out_of_scope`) and an agency
that has expired or been revoked (403 `agency.expired` / `agency.revoked`).
"""
