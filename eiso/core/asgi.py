"""The ASGI application, with the request-size ceiling applied while the body streams in.

Django's ASGI handler spools the whole body (to disk past FILE_UPLOAD_MAX_MEMORY_SIZE) before any
middleware runs, whatever its size, and a chunked body declares no length the middleware could
check. This handler stops reading at ``EISO_MAX_REQUEST_BYTES`` and hands the request an empty body
marked too large, which ``RequestSizeLimitMiddleware`` answers with 413.
"""

import asyncio
import io
import tempfile
from contextvars import ContextVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.core.exceptions import RequestAborted
from django.core.handlers.asgi import ASGIHandler

_cut_off = ContextVar("eiso_body_cut_off", default=False)


class TooLargeBody(io.BytesIO):
    """What the request gets instead of a body over the limit (read up to the limit, then dropped)."""

    eiso_too_large = True


class SizeLimitedASGIHandler(ASGIHandler):
    async def read_body(self, receive):
        limit = settings.EISO_MAX_REQUEST_BYTES
        body_file = tempfile.SpooledTemporaryFile(  # noqa: SIM115 - handed to the request, which closes it
            max_size=settings.FILE_UPLOAD_MAX_MEMORY_SIZE, mode="w+b",
            dir=settings.FILE_UPLOAD_TEMP_DIR)
        received = 0
        while True:
            message = await receive()
            if message["type"] == "http.disconnect":
                body_file.close()
                raise RequestAborted()
            chunk = message.get("body", b"")
            received += len(chunk)
            if received > limit:
                _cut_off.set(True)  # seen by listen_for_disconnect, a task started from this one
                body_file.close()
                return TooLargeBody()
            if chunk:
                if getattr(body_file, "_rolled", False):
                    await sync_to_async(body_file.write, thread_sensitive=False)(chunk)
                else:
                    body_file.write(chunk)
            if not message.get("more_body", False):
                break
        body_file.seek(0)
        return body_file

    async def listen_for_disconnect(self, receive):
        """Django's, except that after a body cut off at the limit nothing more is read: the server
        holds the rest back (flow control) until the 413 is sent and the connection closed."""
        if _cut_off.get():
            await asyncio.Event().wait()  # cancelled by Django once the response is sent
        return await super().listen_for_disconnect(receive)


def get_application() -> SizeLimitedASGIHandler:
    import django

    django.setup(set_prefix=False)
    return SizeLimitedASGIHandler()
