"""A standard as data in and out: shipped JSON, Excel import (plan, then apply) and Excel export.

parsed = read_workbook(content)          # or read_json(path)
plan = standard_plan(parsed)             # rows 新增/修改/不变/文件中没有（保留） + problems; writes nothing
standard_apply(plan=plan, actor=user)    # office only, one transaction
standard_workbook(standard) -> bytes     # the same layout, so export → import changes nothing
standards_load_shipped()                 # fixtures/standards/nhc2021.json and nhc2014.json, idempotent
"""

from apps.checklists.standards.data import ParsedStandard, Problem, StandardData, read_json
from apps.checklists.standards.plan import (
    Action,
    PlanRow,
    StandardPlan,
    standard_apply,
    standard_plan,
    standards_load_shipped,
)
from apps.checklists.standards.workbook import read_workbook, standard_workbook

__all__ = [
    "Action",
    "ParsedStandard",
    "PlanRow",
    "Problem",
    "StandardData",
    "StandardPlan",
    "read_json",
    "read_workbook",
    "standard_apply",
    "standard_plan",
    "standard_workbook",
    "standards_load_shipped",
]
