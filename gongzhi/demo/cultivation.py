"""Demo year for partner cultivation (培育服务): the town's 2023 programme
参与式社区规划培训, held through the 共创美好社区 salon, the 境聚里世界咖啡馆 World
Café and the partners' training of that year (the events demo's real activities),
then closed. Who was trained is the check-ins those activities already have: people
of all 32 residential areas attended, which is what the dashboard's "residential
areas served" counts.

And the present: its new round this year (``seed_today``), held through the training,
co-building day, World Café and salon of the present, open, so that the current year's
"residential areas served" is counted from real check-ins too.

Idempotent: a town that has the programme already is left alone.
"""

from datetime import timedelta

from django.db import transaction

from gongzhi.cultivation import services
from gongzhi.cultivation.models import Programme
from gongzhi.events.models import Activity

YEAR = 2023
TITLE = "参与式社区规划培训"
DESCRIPTION = (
    "通过“共创美好社区”沙龙、境聚里世界咖啡馆和合伙人培训，学习参与式社区规划的方法："
    "社区调研、居民访谈、共同设计和议事协商。参加其中至少两期即为完成培训。"
)
# The sessions, in order: titles of the events demo's activities of the year.
SESSIONS = ["共创美好社区", "境聚里世界咖啡馆", "合伙人参与式规划培训"]
SESSIONS_REQUIRED = 2


@transaction.atomic
def seed(town, secretariat) -> bool:
    if Programme.objects.filter(town=town, title=TITLE).exists():
        return False
    programme = services.create_programme(
        town=town,
        actor=secretariat,
        title=TITLE,
        description=DESCRIPTION,
        sessions_required=SESSIONS_REQUIRED,
    )
    for title in SESSIONS:
        activity = Activity.objects.get(town=town, title=title, starts_at__year=YEAR)
        services.add_session(programme=programme, activity=activity, actor=secretariat)
    services.open_programme(programme=programme, actor=secretariat)
    services.close_programme(programme=programme, actor=secretariat)
    return True


# The present: the programme's new round this year, held through the events demo's
# activities of the present (events.RECENT, TODAY, UPCOMING), so that the dashboard's
# current year counts the areas it serves from their check-ins. Today's co-building
# day is its practice session: a person's area is served from the day it is held.
TODAY_TITLE = "参与式社区规划培训（新一期）"
TODAY_DESCRIPTION = (
    "新一期培训：合伙人参与式规划培训、楼道微更新共建实践，以及世界咖啡馆和合伙人共建沙龙"
    "各一期。参加其中至少两期即为完成培训。"
)
TODAY_SESSIONS = [
    "合伙人参与式规划培训（新一期）",
    "逸景佳苑楼道微更新共建日",
    "境聚里世界咖啡馆：议事厅怎么用得更好",
    "社区合伙人共建沙龙",
]


@transaction.atomic
def seed_today(town, secretariat, *, now) -> bool:
    """The open programme of the present; False when the town has it already (or the
    events demo's activities of the present are missing)."""
    if Programme.objects.filter(town=town, title=TODAY_TITLE).exists():
        return False
    recent = Activity.objects.filter(town=town, starts_at__gte=now - timedelta(days=60))
    activities = [
        recent.filter(title=title).order_by("starts_at", "pk").first() for title in TODAY_SESSIONS
    ]
    if not all(activities):
        return False
    programme = services.create_programme(
        town=town,
        actor=secretariat,
        title=TODAY_TITLE,
        description=TODAY_DESCRIPTION,
        sessions_required=SESSIONS_REQUIRED,
    )
    for activity in activities:
        services.add_session(programme=programme, activity=activity, actor=secretariat)
    services.open_programme(programme=programme, actor=secretariat)
    return True
