import pytest
from django.template import Context, Template


def render(text):
    return Template("{% load unionhome_tags %}{{ text|nowrap_dates }}").render(Context({"text": text}))


@pytest.mark.parametrize(
    "text, expected",
    [
        (
            "2026-12-11（周五）15:00–17:00",
            '<span class="nowrap">2026-12-11（周五）</span><span class="nowrap">15:00–17:00</span>',
        ),
        (
            "2026-12-11 (Fri) 15:00–17:00",
            '<span class="nowrap">2026-12-11 (Fri)</span> <span class="nowrap">15:00–17:00</span>',
        ),
        (
            "2026-12-11 09:00 – 2026-12-12 17:00",
            '<span class="nowrap">2026-12-11 09:00</span> – <span class="nowrap">2026-12-12 17:00</span>',
        ),
        ("12-08 09:00 开始报名", '<span class="nowrap">12-08 09:00</span> 开始报名'),
    ],
)
def test_it_keeps_each_date_and_time_range_on_one_line(text, expected):
    assert render(text) == expected


def test_it_escapes_the_rest():
    assert render("<b>2026-12-11</b>") == '&lt;b&gt;<span class="nowrap">2026-12-11</span>&lt;/b&gt;'
