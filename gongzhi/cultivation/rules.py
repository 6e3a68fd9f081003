"""Who may do what with partner cultivation.

Programmes are the town's: its secretariat (and the administrator) create them, link
their sessions and open and close them. Open and closed programmes are public; a
draft only for those who manage it. An area's cultivation record names people, so
it is for the area's staff, the town's secretariat and the administrator; so is the
certificate of someone who completed a programme, which also its holder prints.
"""

import rules

from gongzhi.core.rules import can_manage, can_manage_town


@rules.predicate
def is_public(user, programme):
    return programme is not None and programme.status != "draft"


@rules.predicate
def is_the_trainee(user, trainee):
    return bool(trainee is not None and user.is_authenticated and trainee.user.pk == user.pk)


rules.add_perm("cultivation.manage_programme", can_manage_town)
rules.add_perm("cultivation.view_programme", is_public | can_manage_town)
# On a residential area: the names of the people trained there.
rules.add_perm("cultivation.view_area_record", can_manage)
# On a trainee (queries.Trainee: a person in a programme, scoped to the programme's
# town and the person's area there): print their certificate of completion.
rules.add_perm("cultivation.print_certificate_of", is_the_trainee | can_manage)
