from django.core.management import call_command
from django.db.models import Count, F, Q

from activities.models import Activity, ActivityResult, Club, ClubMembership, Registration


def snapshot():
    return {
        "clubs": list(Club.objects.values_list("name", "kind", "leader_id").order_by("name")),
        "memberships": ClubMembership.objects.count(),
        "activities": list(
            Activity.objects.values_list(
                "title", "status", "capacity", "confirmed_count", "starts_at", "updated_at"
            ).order_by("title")
        ),
        "registrations": list(
            Registration.objects.values_list(
                "activity_id", "member_id", "status", "queue_number", "attendance"
            ).order_by("pk")
        ),
        "results": list(ActivityResult.objects.values_list("event", "award").order_by("pk")),
    }


def test_the_demo_loads_clubs_and_a_year_of_activities_and_a_second_run_changes_nothing(db, capsys):
    call_command("demo")
    first = snapshot()
    call_command("demo")
    assert snapshot() == first
    assert set(Club.objects.values_list("kind", flat=True)) == set(Club.Kind.values)
    assert {"羽毛球俱乐部", "合唱俱乐部", "法律与心理健康讲座", "青年教师读书沙龙", "志愿服务队"} <= {
        name for name, _kind, _leader in first["clubs"]
    }
    finished = Activity.objects.filter(status=Activity.Status.FINISHED)
    assert finished.count() >= 10
    assert Registration.objects.filter(activity__in=finished, attendance="present").exists()
    assert Registration.objects.filter(activity__in=finished, attendance="absent").exists()
    assert ActivityResult.objects.filter(award="全校第五名").exists()
    assert Activity.objects.open_for_signup().count() >= 5
    full = Activity.objects.get(title="羽毛球周末训练营")
    assert full.is_full and full.registrations.waitlist().count() == 5
    m001 = full.registrations.waitlist()[1]
    assert m001.member.staff_number == "m001" and m001.waitlist_position() == 2
    # Every seat counter agrees with its registrations.
    mismatched = Activity.objects.annotate(
        n=Count("registrations", filter=Q(registrations__status="confirmed"))
    ).exclude(confirmed_count=F("n"))
    assert not mismatched.exists()
    assert "羽毛球俱乐部负责人" in capsys.readouterr().out
