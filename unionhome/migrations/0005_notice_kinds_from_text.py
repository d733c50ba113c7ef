"""Existing notices get the kind and parameters their text was made from, so that they too show in
the reader's language. A text no kind's template (in Chinese or English) matches keeps kind "" and
shows as stored."""

import re

from django.db import migrations
from django.utils import translation


def _pattern(template: str):
    parts = re.split(r"%\((\w+)\)s", template)
    regex = ""
    for index, part in enumerate(parts):
        regex += re.escape(part) if index % 2 == 0 else f"(?P<{part}>.+?)"
    return re.compile(f"^{regex}$", re.S)


def forwards(apps, schema_editor):
    from unionhome.notices import KINDS

    Notice = apps.get_model("unionhome", "Notice")
    patterns = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            patterns += [(kind.id, _pattern(str(kind.template))) for kind in KINDS.values()]
    changed = []
    for notice in Notice.objects.filter(kind="").iterator():
        for kind_id, pattern in patterns:
            match = pattern.match(notice.message)
            if match:
                notice.kind, notice.params = kind_id, match.groupdict()
                changed.append(notice)
                break
    Notice.objects.bulk_update(changed, ["kind", "params"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [("unionhome", "0004_notice_kind_params")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
