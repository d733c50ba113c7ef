"""No member's name may appear in a disclosure, however it is written: a zero-width space, a
space inside the name, full-width letters or an ideographic space do not hide it."""

import pytest

from congress.disclosures import services
from unionhome.text import comparable


@pytest.mark.parametrize(
    "text",
    ["补助王\u200b强", "补助王 强", "补助王\u3000强", "王\u200d强家属慰问", "\ufeff王强", "补助 王\t强 "],
)
def test_it_finds_a_name_split_by_invisible_or_inner_space(second_member, text):
    assert second_member.name == "王强"
    names = services.branch_member_names(second_member.branch_id)
    assert services.personal_names_in(text, names) == ["王强"]


def test_it_finds_a_name_stored_with_a_space_inside(make_member, branch):
    make_member(name="欧阳 娜娜")
    names = services.branch_member_names(branch.pk)
    assert services.personal_names_in("欧阳娜娜的慰问", names) == ["欧阳 娜娜"]
    assert services.personal_names_in("ＡＢＣ", ["abc"]) == ["abc"]


def test_it_refuses_a_hidden_name_when_submitting(disclosure_draft, treasurer, second_member):
    line = disclosure_draft.lines.first()
    line.item = "物理\u200b帮扶：王\u200b强"
    line.save()
    with pytest.raises(services.DisclosureError, match="王强"):
        services.disclosure_submit(disclosure=disclosure_draft, actor=treasurer.user)


def test_the_normaliser_keeps_what_is_visible():
    assert comparable("物理\u200b帮扶") == "物理帮扶"
    assert comparable("Ｗａｎｇ　Ｑｉａｎｇ") == "wangqiang"
    assert comparable(None) == ""
