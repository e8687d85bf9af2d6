"""Where certificate files live: a private storage that is never served as public media.

Certificate PDFs carry the holder's full name and the frozen photo; they are downloaded only through views
that check who asks (the holder's "my certificates", a provider's ZIP), never from ``MEDIA_URL``. The storage
is ``STORAGES["certificates"]`` when configured (e.g. a private S3 bucket), else the local directory
``CERTIFICATE_FILES_ROOT`` (outside ``MEDIA_ROOT``), whose files have no URL at all.
"""

from django.conf import settings
from django.core.files.storage import FileSystemStorage, Storage, storages


class PrivateFileSystemStorage(FileSystemStorage):
    """Local files without URLs: read them with ``open()`` in a view that checks permissions."""

    def url(self, name):
        raise ValueError("certificate files are private and have no URL; serve them through a checked view")


def certificate_storage() -> Storage:
    if "certificates" in settings.STORAGES:
        return storages["certificates"]
    return PrivateFileSystemStorage(location=settings.CERTIFICATE_FILES_ROOT)
