"""Private file storage, the one kind: files in a directory outside MEDIA_ROOT with no URL.

Each use names the setting that holds its root (read on every use: Django builds a field's
storage once, at import, and the tests and a restore move the roots). A private file is reached
only through a view that checks access first and streams it; `url()` refuses.
"""

import os

from django.conf import settings
from django.core.files.storage import FileSystemStorage
from django.utils.deconstruct import deconstructible


@deconstructible(path="unionhome.storage.PrivateStorage")
class PrivateStorage(FileSystemStorage):
    def __init__(self, root_setting: str = "UNIONHOME_PRIVATE_ROOT", **kwargs):
        self.root_setting = root_setting
        kwargs["base_url"] = None
        super().__init__(**kwargs)

    @property
    def base_location(self):
        return str(getattr(settings, self.root_setting))

    @property
    def location(self):
        return os.path.abspath(self.base_location)

    def url(self, name):
        raise ValueError("private files have no public URL")


def welfare_private_storage():
    """Hardship-case proof (settings.WELFARE_PRIVATE_ROOT)."""
    return PrivateStorage("WELFARE_PRIVATE_ROOT")


def private_storage():
    """Every other private upload, under settings.UNIONHOME_PRIVATE_ROOT (backed up with it)."""
    return PrivateStorage("UNIONHOME_PRIVATE_ROOT")
