from django.apps import AppConfig


class ChecklistsConfig(AppConfig):
    """The standard as data, campaigns, task decomposition (任务分解) and the evidence binder."""

    name = "apps.checklists"
    verbose_name = "创建标准与任务"
