"""Builders for proposals in any app's tests: made through the service, as a resident would."""

from gongzhi.proposals import services
from gongzhi.tests.factories import UserFactory


def make_proposal(
    *,
    town,
    area,
    author=None,
    title="楼道加装扶手",
    description="老人上下楼不方便。",
    category="facilities",
    **fields,
):
    """A submitted proposal; ``author`` is a new resident unless given."""
    return services.submit_proposal(
        town=town,
        author=author or UserFactory(),
        area=area,
        title=title,
        description=description,
        category=category,
        **fields,
    )
