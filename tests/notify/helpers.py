"""A real SMTP server on 127.0.0.1 (aiosmtpd) for the outbox tests, and a tiny valid PDF standing in
for LibreOffice's (the documents tests exercise the real conversion)."""
from __future__ import annotations

import contextlib
import socket
from email import message_from_bytes
from email.header import decode_header, make_header
from io import BytesIO


class Handler:
    """Keeps what it accepts; refuses a recipient containing "bounce" (550) or "busy" (451)."""

    def __init__(self):
        self.messages = []

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if "bounce" in address:
            return "550 5.1.1 mailbox unavailable"
        if "busy" in address:
            return "451 4.3.0 try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        self.messages.append(envelope)
        return "250 Message accepted"

    def decoded(self):
        out = []
        for env in self.messages:
            msg = message_from_bytes(env.content)
            body = msg.get_payload(decode=True).decode(msg.get_content_charset() or "utf-8")
            out.append({"to": env.rcpt_tos, "subject": str(make_header(decode_header(msg["Subject"]))), "body": body})
        return out


@contextlib.contextmanager
def smtp_server(settings):
    from aiosmtpd.controller import Controller

    handler = Handler()
    with socket.socket() as s:  # a free port (the controller's start-up check cannot use port 0)
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    controller = Controller(handler, hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = False
        yield handler
    finally:
        controller.stop()


def tiny_pdf(_docx: bytes = b"", **_kw) -> bytes:
    from pyhanko.pdf_utils import generic
    from pyhanko.pdf_utils.writer import PageObject, PdfFileWriter

    w = PdfFileWriter()
    w.insert_page(PageObject(contents=w.add_object(generic.StreamObject(stream_data=b"BT ET")),
                             media_box=generic.ArrayObject([generic.NumberObject(x) for x in (0, 0, 595, 842)])))
    out = BytesIO()
    w.write(out)
    return out.getvalue()
