"""The tickets' choices and the status groups every reader shares: one definition each.

A leaf module (only Django imports it), so that the models, the QuerySets, the filters and the selectors
can all say "clock running" or "finished" in the same words instead of repeating status strings.
"""

from __future__ import annotations

from django.db import models


class TicketSource(models.TextChoices):
    PATROL = "patrol", "网格巡查"
    INSPECTION = "inspection", "督查检查"
    ANFANG = "anfang", "暗访"
    MEDIA = "media", "媒体曝光"
    COMPLAINT = "complaint", "群众投诉"
    LEADER = "leader", "领导交办"
    OFFICE = "office", "创卫办发现"
    IMPORT = "import", "台账导入"


class TicketStatus(models.TextChoices):
    REPORTED = "reported", "待立案"
    FILED = "filed", "待派遣"
    DISPATCHED = "dispatched", "待签收"
    IN_PROGRESS = "in_progress", "整改中"
    SUBMITTED = "submitted", "待核查"
    CLOSED = "closed", "已销号"
    SHELVED = "shelved", "挂账"
    VOID = "void", "已作废"


# The unit holds the ticket in these states, so its clock runs and escalation applies.
CLOCK_RUNNING = (TicketStatus.DISPATCHED, TicketStatus.IN_PROGRESS)

# How a status reads at a glance (tag colour and glyph, templates/tickets/_status.html): new to the office,
# waiting for someone to take the next step, being fixed, finished, set aside.
STATUS_GROUP = {
    TicketStatus.REPORTED: "new",
    TicketStatus.FILED: "new",
    TicketStatus.DISPATCHED: "wait",
    TicketStatus.SUBMITTED: "wait",
    TicketStatus.IN_PROGRESS: "work",
    TicketStatus.CLOSED: "done",
    TicketStatus.SHELVED: "parked",
    TicketStatus.VOID: "void",
}
FINISHED = (TicketStatus.CLOSED, TicketStatus.VOID)


class Supervision(models.IntegerChoices):
    """督办级别: only ever raised (by escalation, recurrence or a level above the handler)."""

    NORMAL = 0, "普通"
    YELLOW = 1, "黄牌"
    RED = 2, "红牌"
    LISTED = 3, "挂牌督办"


class EventAction(models.TextChoices):
    CREATE = "create", "上报"
    FILE = "file", "立案"
    DISPATCH = "dispatch", "派遣"
    ACCEPT = "accept", "签收"
    RETURN = "return", "退回"
    SUBMIT = "submit", "提交整改"
    PASS = "pass", "核查通过（销号）"
    REWORK = "rework", "核查不通过（返工）"
    EXTENSION_REQUEST = "extension_request", "申请延期"
    EXTENSION_APPROVE = "extension_approve", "批准延期"
    EXTENSION_REFUSE = "extension_refuse", "不批准延期"
    SHELVE_REQUEST = "shelve_request", "申请挂账"
    SHELVE_APPROVE = "shelve_approve", "批准挂账"
    SHELVE_REFUSE = "shelve_refuse", "不批准挂账"
    RESUME = "resume", "恢复整改"
    VOID = "void", "作废"
    SUPERVISE = "supervise", "提级督办"
    WARN = "warn", "临期提醒"
    ESCALATE = "escalate", "超期升级"
    RECURRENCE = "recurrence", "反弹"
    REPORT_AGAIN = "report_again", "再次上报"


class PhotoKind(models.TextChoices):
    BEFORE = "before", "整改前"
    AFTER = "after", "整改后"
    CHECK = "check", "核查"
