"""Storage for private files (dossier attachments, results): no public URL exists for them."""

from django.core.files.storage import FileSystemStorage


class PrivateFileSystemStorage(FileSystemStorage):
    """A local folder outside every served path. `url()` refuses: these files are only ever
    streamed by views that check who is asking."""

    def url(self, name):
        raise ValueError("Private files have no public URL; serve them through a view.")
