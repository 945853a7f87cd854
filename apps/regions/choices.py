"""The territory's choices: levels, unit and point types, pairing kinds — one definition each.

A leaf module (only Django imports it), so that the models, the QuerySets, the scope and the filters, and
the apps above, can all name a level with the same enum member instead of repeating strings.
"""

from __future__ import annotations

from django.db import models


class Level(models.TextChoices):
    """Territory levels; the tree depth of each is fixed (市 is the root)."""

    CITY = "city", "市"
    DISTRICT = "district", "区(县)"
    STREET = "street", "街道(乡镇)"
    COMMUNITY = "community", "社区(村)"
    GRID = "grid", "网格"

    @property
    def depth(self) -> int:
        """Tree depth of this level: 市 = 1 … 网格 = 5."""
        return list(Level).index(self) + 1

    @classmethod
    def at_depth(cls, depth: int) -> Level:
        """The level that lives at a tree depth."""
        return list(cls)[depth - 1]


class UnitType(models.TextChoices):
    """Kinds of responsible unit (责任单位)."""

    AIWEI = "aiwei", "爱卫办"
    HEALTH = "health", "卫健"
    URBAN_MGMT = "urban_mgmt", "城管"
    HOUSING = "housing", "住建"
    GARDEN = "garden", "园林"
    ECO_ENV = "eco_env", "生态环境"
    WATER = "water", "水务"
    MARKET = "market", "市场监管"
    COMMERCE = "commerce", "商务"
    AGRI = "agri", "农业农村"
    EDU = "edu", "教育"
    SPORT = "sport", "体育"
    PUBLICITY = "publicity", "宣传"
    CULTURE_TOURISM = "culture_tourism", "文旅"
    TRANSPORT = "transport", "交通"
    PUBLIC_SECURITY = "public_security", "公安"
    STREET_OFFICE = "street_office", "街道办"
    COMMUNITY = "community", "社区"
    ENTERPRISE = "enterprise", "企事业单位"


class WebhookKind(models.TextChoices):
    """Group-robot channels a unit's reminders can go to."""

    WECOM = "wecom", "企业微信群机器人"
    DINGTALK = "dingtalk", "钉钉群机器人"


class PointType(models.TextChoices):
    """Kinds of point (点位) that are patrolled and sampled."""

    MARKET = "market", "农贸市场"
    TOILET = "toilet", "公共厕所"
    SMALL_FOOD = "small_food", "小餐饮"
    PUBLIC_PLACE = "public_place", "公共场所"
    BACKSTREET = "backstreet", "背街小巷"
    MAIN_ROAD = "main_road", "主次干道"
    CONSTRUCTION = "construction", "建筑工地"
    URBAN_VILLAGE = "urban_village", "城中村"
    RESIDENTIAL = "residential", "居民小区"
    SCHOOL = "school", "学校"
    HOSPITAL = "hospital", "医院"
    INSTITUTION = "institution", "机关单位"


class PairingKind(models.TextChoices):
    """How a person or unit is paired with a piece of territory."""

    LEADER = "leader", "包保领导"
    UNIT = "unit", "挂钩单位"
    GRID_CHIEF = "grid_chief", "网格长"
