"""A standard as data in and out: shipped JSON, Excel import (plan here, apply in services) and Excel export.

parsed = read_workbook(content)          # or read_json(path)
plan = standard_plan(parsed)             # rows 新增/修改/不变/文件中没有（保留） + problems; writes nothing
standard_workbook(standard) -> bytes     # the same layout, so export → import changes nothing

Writing is apps/checklists/services/standards.py: standard_apply(plan=plan, actor=user) (office only, one
transaction) and standards_load_shipped() (fixtures/standards/nhc2021.json and nhc2014.json, idempotent).
"""

from apps.checklists.standards.data import ParsedStandard, Problem, StandardData, read_json
from apps.checklists.standards.plan import StandardPlan, standard_plan, standard_replan
from apps.checklists.standards.workbook import read_workbook, standard_workbook
from apps.core.sync import Action

__all__ = [
    "Action",
    "ParsedStandard",
    "Problem",
    "StandardData",
    "StandardPlan",
    "read_json",
    "read_workbook",
    "standard_plan",
    "standard_replan",
    "standard_workbook",
]
