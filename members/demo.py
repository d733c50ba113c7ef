"""Demo roster: 数学与统计学院分工会 with six union groups and about 125 members."""

import random
from datetime import date

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group

from members.models import Branch, Department, EmailChangeRequest, Member, UnionGroup
from unionhome import roles
from unionhome.audit import audit_record
from unionhome.models import AuditEntry

DEMO_PASSWORD = "unionhome-demo"
MEMBER_COUNT = 120

SURNAMES = (
    "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程魏苏吕丁任沈姚卢"
)
GIVEN = (
    "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉萍红"
    "鹏辉建文斌宇浩凯晨欣怡佳琳雪梅婷慧颖子涵思远志海鑫晓"
)

GROUPS = [
    ("数学系工会小组", "数学系"),
    ("统计系工会小组", "统计系"),
    ("应用数学研究所工会小组", "应用数学研究所"),
    ("学院办公室工会小组", "学院办公室"),
    ("实验与计算中心工会小组", "实验与计算中心"),
    ("离退休教职工工会小组", None),
]
TEACHING_TITLES = ["教授", "副教授", "讲师", "助教", "副教授/系副主任", "教授/博士生导师"]
OFFICE_TITLES = ["办公室主任", "科员", "教务秘书", "辅导员", "实验师", "高级实验师"]

# (username, name, gender, role, title) for the officers' accounts; they are members too.
OFFICERS = [
    ("officer", "陈建华", "M", roles.OFFICER, "分工会主席/教授"),
    ("welfare", "林秀英", "F", roles.WELFARE_OFFICER, "分工会委员（帮扶）/副教授"),
    ("secretary", "赵志远", "M", roles.CONGRESS_SECRETARY, "教代会秘书/讲师"),
    ("treasurer", "孙丽娟", "F", roles.TREASURER, "分工会财务委员/会计师"),
]


def load(context):
    rng = random.Random(20261123)
    password_hash = make_password(DEMO_PASSWORD)  # one hash for all: fast and idempotent
    branch, _ = Branch.objects.get_or_create(
        name="数学与统计学院分工会", defaults={"short_name": "数统分工会"}
    )
    groups, departments = [], []
    for order, (group_name, department_name) in enumerate(GROUPS):
        group, _ = UnionGroup.objects.get_or_create(
            branch=branch, name=group_name, defaults={"sort_order": order}
        )
        department = None
        if department_name:
            department, _ = Department.objects.get_or_create(branch=branch, name=department_name)
        groups.append(group)
        departments.append(department)

    User = get_user_model()
    admin, _ = User.objects.get_or_create(
        username="admin", defaults={"is_staff": True, "is_superuser": True, "email": "admin@example.edu.cn"}
    )
    admin.password = password_hash
    admin.save(update_fields=["password"])

    member_role = Group.objects.get(name=roles.MEMBER)
    accounts = [("admin", "superuser")]
    members = []
    for username, name, gender, role, title in OFFICERS:
        member = _upsert_member(
            branch=branch,
            staff_number=username,
            name=name,
            gender=gender,
            birth_date=date(1972 + len(members) * 4, 3 + len(members), 12),
            group=groups[len(members) % 4],
            department=departments[len(members) % 4],
            title=title,
            password_hash=password_hash,
        )
        member.user.is_staff = True
        member.user.save(update_fields=["is_staff"])
        member.user.groups.add(member_role, Group.objects.get(name=role))
        accounts.append((username, str(roles.ROLE_LABELS[role])))
        members.append(member)

    retiree_group = len(GROUPS) - 1
    for number in range(1, MEMBER_COUNT + 1):
        retired = number > MEMBER_COUNT - 14
        index = retiree_group if retired else rng.randrange(retiree_group)
        born = (
            date(rng.randint(1959, 1966), rng.randint(1, 12), rng.randint(1, 28))
            if retired
            else date(rng.randint(1962, 2000), rng.randint(1, 12), rng.randint(1, 28))
        )
        teaching = index < 3
        gender = rng.choice("MF")
        name = rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.choice((1, 2))))
        member = _upsert_member(
            branch=branch,
            staff_number=f"m{number:03d}",
            name=name,
            gender=gender,
            birth_date=born,
            group=groups[index],
            department=departments[index] if not retired else departments[rng.randrange(3)],
            title=rng.choice(TEACHING_TITLES if teaching else OFFICE_TITLES),
            password_hash=password_hash,
            status=Member.Status.RETIRED if retired else Member.Status.ACTIVE,
        )
        member.user.groups.add(member_role)
        members.append(member)
    accounts.append((f"m001 … m{MEMBER_COUNT:03d}", str(roles.ROLE_LABELS[roles.MEMBER])))

    _audit_trail(admin, members)
    _email_correction(members)
    context.update(
        branch=branch, groups=groups, members=members, password=DEMO_PASSWORD, accounts=accounts, rng=rng
    )


def _upsert_member(
    *,
    branch,
    staff_number,
    name,
    gender,
    birth_date,
    group,
    department,
    title,
    password_hash,
    status=Member.Status.ACTIVE,
):
    User = get_user_model()
    email = f"{staff_number}@example.edu.cn"
    user, _ = User.objects.get_or_create(username=staff_number, defaults={"email": email})
    user.password = password_hash
    user.email = email
    user.save(update_fields=["password", "email"])
    member, _ = Member.objects.update_or_create(
        staff_number=staff_number,
        defaults={
            "user": user,
            "branch": branch,
            "name": name,
            "gender": gender,
            "birth_date": birth_date,
            "union_group": group,
            "department": department,
            "title": title,
            "email": email,
            "phone": f"13{(sum(map(ord, staff_number)) * 7919 + len(name)) % 10**9:09d}",
            "joined_union_on": date(max(birth_date.year + 24, 1985), 9, 1),
            "status": status,
        },
    )
    return member


def _audit_trail(admin, members):
    """The roster's first entries in the audit trail, as member_save leaves them (once)."""
    recorded = set(AuditEntry.objects.filter(action="member.created").values_list("target_id", flat=True))
    for member in members[: len(OFFICERS)]:
        if str(member.pk) not in recorded:
            audit_record(actor=admin, action="member.created", target=member, account=member.user.username)


def _email_correction(members):
    """One correction of a login e-mail waiting for the member to confirm it (once)."""
    from members.services import email_change_request

    officer, member = members[0], members[len(OFFICERS)]
    if not EmailChangeRequest.objects.filter(member=member).exists():
        email_change_request(
            member=member,
            new_email=f"{member.staff_number}.new@example.edu.cn",
            actor=officer.user,
            confirm_url=lambda token: f"/me/email/confirm/{token}/",
        )
