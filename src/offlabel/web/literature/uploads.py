"""Stop reading an upload as soon as it passes the web import's size limit.

Django would otherwise spool a 2 GB upload to disk before the view could refuse it. This
handler counts the bytes of each file as they arrive and stops the upload (draining, not
resetting, the connection, so the browser gets the page that explains the limit).
"""

from __future__ import annotations

from typing import Any

from django.core.files.uploadhandler import FileUploadHandler, StopUpload

# Room for the other form fields and multipart headers around the file.
_SLACK = 64 * 1024


class SizeLimitUploadHandler(FileUploadHandler):
    """Stop an upload whose request or file is bigger than ``limit`` bytes.

    After parsing, ``too_large`` holds the size seen (the request's declared length or the
    bytes received so far) when the limit was passed, else ``None``.
    """

    def __init__(self, request: Any = None, *, limit: int) -> None:
        super().__init__(request)
        self.limit = limit
        self.too_large: int | None = None
        self.received = 0

    def handle_raw_input(
        self,
        input_data: Any,
        META: Any,
        content_length: int,
        boundary: Any,
        encoding: str | None = None,
    ) -> None:
        if content_length and content_length > self.limit + _SLACK:
            self.too_large = content_length
        return None

    def new_file(self, *args: Any, **kwargs: Any) -> None:
        self.received = 0
        if self.too_large is not None:
            raise StopUpload(connection_reset=False)
        super().new_file(*args, **kwargs)

    def receive_data_chunk(self, raw_data: bytes, start: int) -> bytes | None:
        self.received += len(raw_data)
        if self.received > self.limit:
            self.too_large = self.received
            raise StopUpload(connection_reset=False)
        return raw_data

    def file_complete(self, file_size: int) -> None:
        return None
