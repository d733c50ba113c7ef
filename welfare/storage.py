"""Private storage for case attachments: a directory outside MEDIA_ROOT with no URL.

Files are reached only through welfare.views.attachment_download, after the access check. The
directory is read from settings.WELFARE_PRIVATE_ROOT on every use (Django builds a field's
storage once, at import).
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage


class PrivateStorage(FileSystemStorage):
    def __init__(self, **kwargs):
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(settings.WELFARE_PRIVATE_ROOT)

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("welfare attachments have no public URL")


def private_storage():
    return PrivateStorage()
