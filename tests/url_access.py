"""The URL x persona table's building blocks: personas, the world they live in, and rows.

Each app lists its URLs in `tests/<app>/url_access*.py`:

    def objects(world): ...            # create the objects its URLs point at; returns a dict
    ROWS = [row("app:name", lambda o: {"pk": o["thing"].pk}, default=404, member=200, ...)]

`tests/test_url_access.py` requests every row's URL as every persona and compares the status
(GET; POST-only views answer 405 to signed-in personas). A URL name of the URL conf without a
row fails that test, so a new page cannot ship without saying who may open it.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group

from members.models import Branch, Member, UnionGroup
from unionhome import roles

PERSONAS = (
    "anonymous",
    "member",
    "other_member",
    "club_leader",
    "officer",
    "other_branch_officer",
    "welfare_officer",
    "secretary",
    "treasurer",
    "superuser",
)

_PERSONA_ROLES = {
    "member": (),
    "other_member": (),
    "club_leader": (),
    "officer": (roles.OFFICER,),
    "other_branch_officer": (roles.OFFICER,),
    "welfare_officer": (roles.WELFARE_OFFICER,),
    "secretary": (roles.CONGRESS_SECRETARY,),
    "treasurer": (roles.TREASURER,),
}


@dataclass(frozen=True)
class Row:
    name: str
    kwargs: Callable[[dict], dict]
    expected: dict[str, int]
    query: str = ""

    def status_for(self, persona: str) -> int:
        return self.expected[persona]


def row(name: str, kwargs=None, *, query: str = "", default: int = 200, **per_persona: int) -> Row:
    """Expected GET status per persona; `default` for those not named (anonymous: 302 unless named)."""
    unknown = set(per_persona) - set(PERSONAS)
    if unknown:
        raise ValueError(f"unknown personas in row {name}: {sorted(unknown)}")
    expected = {persona: default for persona in PERSONAS}
    expected["anonymous"] = 302
    expected.update(per_persona)
    return Row(name=name, kwargs=kwargs or (lambda objects: {}), expected=expected, query=query)


@dataclass
class World:
    branch: Branch
    other_branch: Branch
    group: UnionGroup
    personas: dict = field(default_factory=dict)

    def __getattr__(self, name):
        try:
            return self.__dict__["personas"][name]
        except KeyError:
            raise AttributeError(name) from None

    def user_of(self, persona: str):
        if persona == "anonymous":
            return None
        who = self.personas[persona]
        return getattr(who, "user", who)


def build_world() -> World:
    """Two branches; every persona a member of the first, but the other branch's officer."""
    branch = Branch.objects.create(name="数学与统计学院分工会", short_name="数统分工会")
    other_branch = Branch.objects.create(name="物理学院分工会")
    group = UnionGroup.objects.create(branch=branch, name="数学系工会小组")
    other_group = UnionGroup.objects.create(branch=other_branch, name="物理系工会小组")
    world = World(branch=branch, other_branch=other_branch, group=group)
    user_model = get_user_model()
    for index, (persona, persona_roles) in enumerate(_PERSONA_ROLES.items(), start=1):
        staff_number = f"P{index:04d}"
        user = user_model.objects.create_user(
            username=staff_number,
            email=f"{staff_number}@example.edu.cn",
            password="pw-123456",
            is_staff=bool(persona_roles),
        )
        for role in (roles.MEMBER, *persona_roles):
            user.groups.add(Group.objects.get_or_create(name=role)[0])
        in_other = persona == "other_branch_officer"
        world.personas[persona] = Member.objects.create(
            user=user,
            branch=other_branch if in_other else branch,
            union_group=other_group if in_other else group,
            staff_number=staff_number,
            name=f"会员{index}",
            gender=Member.Gender.FEMALE if index % 2 else Member.Gender.MALE,
            birth_date=date(1980 + index, 3, 1),
            email=f"{staff_number}@example.edu.cn",
        )
    world.personas["superuser"] = user_model.objects.create_superuser(
        "root", "root@example.edu.cn", "pw-123456"
    )
    return world
