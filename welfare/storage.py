"""Private storage for case attachments: a directory outside MEDIA_ROOT with no URL.

Files are reached only through welfare.views.attachment_download, after the access check.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs.setdefault("location", settings.WELFARE_PRIVATE_ROOT)
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    def url(self, name):
        raise ValueError("welfare attachments have no public URL")


def private_storage():
    """Callable storage: settings are read when first used (tests may point it elsewhere)."""
    return PrivateStorage()
