from django.shortcuts import render

from unionhome.sections import collect_sections


def home(request):
    """The signed-in member's start page: upcoming activities, their next events, notices."""
    return render(request, "unionhome/home.html", {"sections": collect_sections(request, "home_section")})
