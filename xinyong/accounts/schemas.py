from ninja import Schema


class UnitOut(Schema):
    code: str
    name: str
    full_name: str
    type: str
    type_label: str
    uscc: str | None
    roles: list[str]
    aliases: list[str]


class UnitGroupOut(Schema):
    code: str
    name: str
    open_membership: bool
    members: list[str]


class UnitListOut(Schema):
    count: int
    units: list[UnitOut]
    groups: list[UnitGroupOut]


class WhoAmIOut(Schema):
    unit_code: str
    unit_name: str
    role: str
    roles: list[str]
    user: str
    token_prefix: str
    expires_at: str
