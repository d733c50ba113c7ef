"""Demo clubs of the four kinds and a year of activities around today.

Past activities carry registrations, attendance and results; upcoming ones are open for
sign-up, one is full with a waitlist, one opens later, one is a draft and one was cancelled.
Idempotent: clubs, activities and results are matched by name; registrations are made only
for an activity that has none yet.
"""

import random
from datetime import datetime, time, timedelta

from django.db.models import Count, Q
from django.utils import timezone

from activities.models import Activity, ActivityResult, Club, ClubMembership, Registration
from members.models import Member

CLUBS = [
    # key, name, kind, description
    (
        "badminton",
        "羽毛球俱乐部",
        Club.Kind.SPORTS,
        "每周三、周六下午在体育馆活动，欢迎零基础的老师，球拍可以借用。",
    ),
    ("choir", "合唱俱乐部", Club.Kind.SPORTS, "每周二晚排练，参加校“五月的鲜花”合唱比赛和新年音乐会。"),
    ("taichi", "太极与健身俱乐部", Club.Kind.SPORTS, "工作日中午在操场练习八段锦、太极拳，适合各年龄段。"),
    (
        "wellbeing",
        "法律与心理健康讲座",
        Club.Kind.RIGHTS,
        "邀请法学院老师和校心理中心讲师，讲劳动合同、婚姻家庭、压力与睡眠。",
    ),
    (
        "salon",
        "青年教师读书沙龙",
        Club.Kind.READING,
        "每月一本教育或专业好书，青年教师轮流领读，交流教学心得。",
    ),
    ("teaching", "教学能力提升工作坊", Club.Kind.READING, "课堂教学、课程思政、教学比赛的经验分享与磨课。"),
    ("volunteer", "志愿服务队", Club.Kind.SERVICE, "社区科普、爱心助学、无偿献血和困难职工走访的志愿者。"),
]

# title, club key (None = the branch), category, day offset, hour, hours, place, audience, capacity, results
PAST = [
    ("新春走访慰问离退休教职工", None, "festival", -320, 9, 3, "离退休教职工家中", "retirees", None, []),
    ("三八妇女节插花沙龙", None, "festival", -260, 14, 2, "学院会议室 A302", "women", 30, []),
    (
        "春季教职工运动会",
        None,
        "sports",
        -225,
        8,
        5,
        "东区田径场",
        "all",
        None,
        [("教职工运动会 团体总分", "全校第三名", "数学与统计学院代表队")],
    ),
    (
        "教职工羽毛球团体赛",
        "badminton",
        "sports",
        -200,
        14,
        4,
        "体育馆羽毛球场",
        "all",
        24,
        [("羽毛球比赛 团体", "全校第五名", "数统学院羽毛球队"), ("羽毛球比赛 女子双打", "第三名", "")],
    ),
    ("劳动合同与聘用制度讲座", "wellbeing", "rights", -180, 15, 2, "学术报告厅", "all", None, []),
    (
        "“五月的鲜花”合唱比赛",
        "choir",
        "sports",
        -150,
        19,
        2,
        "大学生活动中心",
        "all",
        40,
        [("“五月的鲜花”合唱比赛", "全校二等奖", "合唱俱乐部")],
    ),
    ("读书沙龙：《给教师的建议》", "salon", "reading", -120, 16, 2, "图书馆研讨室 3", "young", 20, []),
    ("心理健康讲座：压力与睡眠", "wellbeing", "rights", -90, 15, 2, "学术报告厅", "all", None, []),
    ("教师节暨新教职工欢迎会", None, "festival", -70, 15, 2, "学院会议室 A302", "all", 80, []),
    ("中秋游园会", None, "festival", -45, 16, 3, "学院中庭", "all", None, []),
    ("重阳节离退休教职工秋游", None, "festival", -30, 8, 8, "植物园", "retirees", 30, []),
    (
        "社区科普志愿服务",
        "volunteer",
        "service",
        -12,
        9,
        3,
        "桃源社区活动中心",
        "all",
        15,
        [("校“优秀志愿服务项目”", "三等奖", "志愿服务队")],
    ),
]
UPCOMING = [
    ("羽毛球周末训练营", "badminton", "sports", 3, 14, 3, "体育馆羽毛球场", "all", 16),
    ("法律讲座：婚姻家庭与继承", "wellbeing", "rights", 6, 15, 2, "学术报告厅", "all", 60),
    ("读书沙龙：《教学勇气》", "salon", "reading", 9, 16, 2, "图书馆研讨室 3", "young", 20),
    ("冬季长跑接力赛", None, "sports", 13, 15, 2, "东区田径场", "all", 50),
    ("数学系教学午餐会", "teaching", "reading", 17, 12, 1, "数学楼 205", "groups", 25),
    ("合唱团新年音乐会排练", "choir", "sports", 20, 19, 2, "大学生活动中心", "all", None),
    ("困难职工走访志愿者招募", "volunteer", "service", 27, 14, 3, "学院办公室", "all", 10),
    ("元旦联欢会", None, "festival", 36, 18, 3, "学院中庭", "all", 150),
]


def _at(today, days, hour):
    return timezone.make_aware(datetime.combine(today + timedelta(days=days), time(hour, 0)))


def load(context):
    rng = random.Random(3)
    branch = context["branch"]
    groups = context["groups"]
    members = context["members"]
    welfare = members[1]
    ordinary = members[4:]
    active = [member for member in members if member.status == Member.Status.ACTIVE]
    retirees = [member for member in members if member.status == Member.Status.RETIRED]
    young = [member for member in ordinary if member.is_young_teacher]
    today = timezone.localdate()

    leaders = {
        "badminton": ordinary[1],  # m002
        "choir": ordinary[4],
        "taichi": ordinary[7],
        "wellbeing": welfare,
        "salon": next((m for m in young if m.pk != ordinary[0].pk), ordinary[2]),
        "teaching": ordinary[9],
        "volunteer": ordinary[11],
    }
    clubs = {}
    for key, name, kind, description in CLUBS:
        club = _upsert(
            Club,
            {"branch": branch, "name": name},
            {"kind": kind, "description": description, "leader": leaders[key], "is_active": True},
        )
        clubs[key] = club
        if not club.memberships.exists():
            pool = [
                m for m in (young if key == "salon" and len(young) > 12 else active) if m.pk != ordinary[0].pk
            ]
            chosen = {leaders[key].pk: leaders[key]}
            for member in rng.sample(pool, min(len(pool), rng.randint(12, 30))):
                chosen.setdefault(member.pk, member)
            ClubMembership.objects.bulk_create(
                [
                    ClubMembership(
                        club=club, member=member, joined_on=today - timedelta(days=rng.randint(30, 900))
                    )
                    for member in chosen.values()
                ],
                ignore_conflicts=True,
            )
    # The demo member m001 belongs to two clubs, so /me/ has something to show.
    for key in ("badminton", "wellbeing"):
        ClubMembership.objects.get_or_create(
            club=clubs[key], member=ordinary[0], defaults={"joined_on": today - timedelta(days=200)}
        )

    def audience_pool(audience):
        return {"retirees": retirees, "young": young, "women": [m for m in active if m.gender == "F"]}.get(
            audience, [m for m in ordinary if m.status == Member.Status.ACTIVE]
        )

    # Coverage is uneven, as the seed papers describe: some staff never come, and the lab and
    # computing centre's group is the hardest to reach.
    never = {m.pk for m in rng.sample(active, len(active) // 4)} - {ordinary[0].pk}
    reach = {group.pk: weight for group, weight in zip(groups, (0.8, 0.9, 0.6, 0.7, 0.25, 1.0), strict=False)}

    def turnout(pool, size):
        willing = [m for m in pool if m.pk not in never and rng.random() < reach.get(m.union_group_id, 0.7)]
        return rng.sample(willing, min(len(willing), size))

    for title, key, category, days, hour, hours, place, audience, capacity, results in PAST:
        activity = _activity(
            branch,
            clubs.get(key),
            title,
            category,
            _at(today, days, hour),
            hours,
            place,
            audience,
            capacity,
            Activity.Status.FINISHED,
        )
        if not activity.registrations.exists():
            rows = []
            for member in turnout(audience_pool(audience), min(capacity or 40, rng.randint(10, 30))):
                rows.append(
                    Registration(
                        activity=activity,
                        member=member,
                        status=Registration.Status.CONFIRMED,
                        attendance=Registration.Attendance.PRESENT
                        if rng.random() < 0.86
                        else Registration.Attendance.ABSENT,
                        created_at=activity.starts_at - timedelta(days=rng.randint(2, 12)),
                        confirmed_at=activity.starts_at - timedelta(days=2),
                        attendance_marked_at=activity.ends_at,
                    )
                )
            Registration.objects.bulk_create(rows)
        for order, (event, award, winners) in enumerate(results):
            _upsert(
                ActivityResult,
                {"activity": activity, "event": event},
                {"award": award, "winners": winners, "sort_order": order},
            )

    m001 = ordinary[0]
    for title, key, category, days, hour, hours, place, audience, capacity in UPCOMING:
        activity = _activity(
            branch,
            clubs.get(key),
            title,
            category,
            _at(today, days, hour),
            hours,
            place,
            audience,
            capacity,
            Activity.Status.PUBLISHED,
        )
        if audience == "groups":
            activity.audience_groups.set([groups[0]])
        if title == "元旦联欢会" and activity.signup_opens_at is None:  # sign-up opens later
            activity.signup_opens_at = _at(today, 10, 9)
            activity.save(update_fields=["signup_opens_at"])
        if activity.registrations.exists() or activity.signup_pending:
            continue
        pool = [m for m in audience_pool(audience) if m.pk != m001.pk]
        if audience == "groups":
            pool = [m for m in pool if m.union_group_id == groups[0].pk]
        if title == "羽毛球周末训练营":  # full, with a waitlist on which m001 is second
            seated = rng.sample(pool, capacity + 4)
            _register(
                activity, seated[:capacity], seated[capacity : capacity + 1] + [m001] + seated[capacity + 1 :]
            )
        elif title == "法律讲座：婚姻家庭与继承":  # m001 already has a seat here
            _register(activity, [m001, *rng.sample(pool, 18)], [])
        elif capacity:
            _register(activity, rng.sample(pool, min(len(pool), capacity // 3)), [])
        else:
            _register(activity, rng.sample(pool, 14), [])

    _activity(
        branch,
        None,
        "下学期春季运动会（筹备中）",
        "sports",
        _at(today, 95, 8),
        5,
        "东区田径场",
        "all",
        None,
        Activity.Status.DRAFT,
    )
    _activity(
        branch,
        clubs["taichi"],
        "周末郊外徒步（因天气取消）",
        "sports",
        _at(today, 15, 8),
        6,
        "西山森林公园",
        "all",
        30,
        Activity.Status.CANCELLED,
    )

    # The seat counters follow the registrations (nothing else writes while the demo loads).
    for activity in Activity.objects.filter(branch=branch).annotate(
        n=Count("registrations", filter=Q(registrations__status=Registration.Status.CONFIRMED))
    ):
        if activity.confirmed_count != activity.n:
            Activity.objects.filter(pk=activity.pk).update(confirmed_count=activity.n)

    context["clubs"] = clubs
    context["accounts"].append((ordinary[1].staff_number, "会员 · 羽毛球俱乐部负责人"))


def _activity(branch, club, title, category, starts_at, hours, place, audience, capacity, status):
    return _upsert(
        Activity,
        {"branch": branch, "title": title},
        {
            "club": club,
            "category": category,
            "starts_at": starts_at,
            "ends_at": starts_at + timedelta(hours=hours),
            "place": place,
            "audience": audience,
            "capacity": capacity,
            "status": status,
            "description": _description(title, place),
            "cancel_deadline": starts_at - timedelta(days=1),
        },
    )


def _upsert(model, lookup, values):
    """Create, or update only the fields that differ: a second run writes nothing."""
    instance = model.objects.filter(**lookup).first()
    if instance is None:
        return model.objects.create(**lookup, **values)
    changed = [name for name, value in values.items() if getattr(instance, name) != value]
    for name in changed:
        setattr(instance, name, values[name])
    if changed:
        instance.save(update_fields=changed)
    return instance


def _description(title, place):
    return (
        f"{title}。地点：{place}。请准时到场签到；"
        "如不能参加，请在取消截止前在职工小家取消报名，把名额留给其他老师。"
    )


def _register(activity, confirmed, waitlisted):
    now = timezone.now()
    rows = [
        Registration(
            activity=activity,
            member=member,
            status=Registration.Status.CONFIRMED,
            created_at=now,
            confirmed_at=now,
        )
        for member in confirmed
    ]
    rows += [
        Registration(
            activity=activity,
            member=member,
            status=Registration.Status.WAITLISTED,
            queue_number=number,
            created_at=now,
        )
        for number, member in enumerate(waitlisted, 1)
    ]
    Registration.objects.bulk_create(rows)
