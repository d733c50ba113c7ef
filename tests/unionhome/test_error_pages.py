"""Our own 400, 403, 404 and 500 pages, in both languages, with no trace of the code or settings."""

import pytest
from django.core.exceptions import PermissionDenied, SuspiciousOperation
from django.test import Client
from django.urls import path

from unionhome import urls as project_urls


def _raises(error):
    def view(request):
        raise error

    return view


urlpatterns = [
    *project_urls.urlpatterns,
    path("boom/", _raises(RuntimeError("secret detail of the failure"))),
    path("forbidden/", _raises(PermissionDenied)),
    path("suspicious/", _raises(SuspiciousOperation("tampered"))),
]
handler400 = project_urls.handler400
handler403 = project_urls.handler403
handler404 = project_urls.handler404
handler500 = project_urls.handler500

CASES = [
    ("/suspicious/", 400, "请求有误", "Bad request"),
    ("/forbidden/", 403, "没有权限", "Not allowed"),
    ("/no-such-page/", 404, "找不到页面", "Page not found"),
    ("/boom/", 500, "系统出错", "Something went wrong"),
]


@pytest.fixture
def visitor(settings, member):
    settings.ROOT_URLCONF = __name__
    client = Client(raise_request_exception=False)
    client.force_login(member.user)
    return client


@pytest.mark.parametrize(("url", "status", "chinese", "english"), CASES)
def test_it_shows_our_own_error_page_in_both_languages(visitor, url, status, chinese, english):
    response = visitor.get(url)
    assert response.status_code == status
    html = response.content.decode()
    assert f"<h1>{chinese}</h1>" in html and 'lang="zh-Hans"' in html
    assert response["X-Request-ID"] in html  # the number to give the officers
    english_page = visitor.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    visitor.cookies.pop("django_language", None)
    assert f"<h1>{english}</h1>" in english_page


@pytest.mark.parametrize(("url", "status", "chinese", "english"), CASES)
def test_it_shows_no_trace_or_settings(visitor, settings, url, status, chinese, english):
    html = visitor.get(url).content.decode()
    for leak in ("Traceback", "secret detail", "SECRET_KEY", settings.SECRET_KEY, "unionhome/", "Django"):
        assert leak not in html


def test_it_renders_the_500_page_without_the_database(visitor, django_assert_num_queries):
    with django_assert_num_queries(0):
        from unionhome.views import server_error

        response = server_error(None)
    assert response.status_code == 500 and "系统出错" in response.content.decode()


def test_it_explains_a_csrf_refusal_in_chinese(member):
    client = Client(enforce_csrf_checks=True)
    client.force_login(member.user)
    response = client.post("/notices/read/")
    assert response.status_code == 403 and "页面已过期" in response.content.decode()


def test_it_answers_a_bad_host_with_our_400_page(client, db):
    response = client.get("/accounts/login/", HTTP_HOST="elsewhere.example")
    assert response.status_code == 400 and "请求有误" in response.content.decode()


def test_it_logs_refusals_and_errors_at_warning_or_above_with_the_request_id(visitor, caplog):
    import json
    import logging

    from unionhome.logs import OneLineFormatter, RequestIdFilter

    caplog.set_level(logging.WARNING)
    caplog.handler.addFilter(RequestIdFilter())
    forbidden = visitor.get("/forbidden/")
    boom = visitor.get("/boom/")
    records = {record.status_code: record for record in caplog.records if record.name == "django.request"}
    assert records[403].levelno == logging.WARNING and records[500].levelno == logging.ERROR
    assert records[403].request_id == forbidden["X-Request-ID"]
    assert records[500].request_id == boom["X-Request-ID"]
    line = OneLineFormatter().format(records[500])
    assert "\n" not in line
    event = json.loads(line)
    assert event["level"] == "ERROR" and event["request_id"] == boom["X-Request-ID"]
    assert "RuntimeError: secret detail" in event["exception"]
