#!/usr/bin/python3
"""An SMTP server for the tests: accepts mail on 127.0.0.1 and keeps each message as a file.

Every message lands in MAILDIR/new as it was received, preceded by three headers of ours:
X-Envelope-From, X-Envelope-To (every RCPT TO, so Bcc can be checked) and X-Authenticated-User
(empty without AUTH). Recipients whose local part starts with "rejected" get 550, with "busy" 451.
AUTH PLAIN and LOGIN accept one user and password; without --require-auth
mail is also accepted unauthenticated. With --cert and --key the server offers STARTTLS, and with
--tls-port-file as well a second listener speaks TLS from the first byte (implicit TLS, as on port 465)
and writes its port there.

Run with Debian's /usr/bin/python3 and python3-aiosmtpd. Writes the port it listens on to
--port-file once it accepts connections.
"""
import argparse
import os
import signal
import socket
import ssl
import threading
import time
import uuid

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


class CaseInsensitiveAuthSMTP(SMTP):
    """SASL mechanism names are case-insensitive (RFC 4422); aiosmtpd 1.4 matches them exactly,
    and .NET's SmtpClient sends "AUTH login"."""

    async def smtp_AUTH(self, arg):
        if arg:
            mechanism, _, rest = arg.partition(" ")
            arg = mechanism.upper() + (" " + rest if rest else "")
        return await super().smtp_AUTH(arg)


class SinkController(Controller):
    def factory(self):
        return CaseInsensitiveAuthSMTP(self.handler, **self.SMTP_kwargs)


class Sink:
    def __init__(self, maildir):
        self.maildir = maildir
        for sub in ("tmp", "new", "cur"):
            os.makedirs(os.path.join(maildir, sub), exist_ok=True)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        # Recipients the tests use to see how a client takes refusals.
        local = address.split("@")[0].lower()
        if local.startswith("rejected"):
            return "550 5.1.1 No such mailbox"
        if local.startswith("busy"):
            return "451 4.3.0 Mailbox busy, try again later"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        user = ""
        if isinstance(session.auth_data, LoginPassword):
            user = session.auth_data.login.decode("utf-8", "replace")
        head = (
            f"X-Envelope-From: {envelope.mail_from}\r\n"
            f"X-Envelope-To: {', '.join(envelope.rcpt_tos)}\r\n"
            f"X-Authenticated-User: {user}\r\n"
        ).encode("utf-8")
        name = f"{time.time_ns()}.{uuid.uuid4().hex}.weops"
        tmp = os.path.join(self.maildir, "tmp", name)
        with open(tmp, "wb") as f:
            f.write(head + envelope.original_content)
        # Written whole, then moved: a reader never sees half a message.
        os.rename(tmp, os.path.join(self.maildir, "new", name))
        return "250 OK stored"


def authenticator(user, password):
    def check(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login == user.encode()
            and auth_data.password == password.encode()
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data if ok else None)

    return check


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def listen(handler, params, ssl_context=None):
    for _ in range(10):
        # Another process may take the port between the probe and the bind: try another.
        try:
            controller = SinkController(handler, hostname="127.0.0.1", port=free_port(), ssl_context=ssl_context, **params)
            controller.start()
            return controller
        except (OSError, RuntimeError):
            pass
    raise SystemExit("smtp_sink: found no port to listen on")


def write_port(path, port):
    with open(path + ".tmp", "w") as f:
        f.write(str(port))
    os.rename(path + ".tmp", path)


def main():
    if os.environ.get("SMTP_SINK_DEBUG"):
        import logging
        logging.basicConfig(level=logging.DEBUG)
    p = argparse.ArgumentParser()
    p.add_argument("--maildir", required=True)
    p.add_argument("--port-file", required=True)
    p.add_argument("--user", required=True)
    p.add_argument("--password", required=True)
    p.add_argument("--require-auth", action="store_true")
    p.add_argument("--cert")
    p.add_argument("--key")
    p.add_argument("--tls-port-file")
    args = p.parse_args()

    params = dict(
        authenticator=authenticator(args.user, args.password),
        auth_required=args.require_auth,
        # Clients authenticate in clear on loopback; STARTTLS is offered, not demanded.
        auth_require_tls=False,
        enable_SMTPUTF8=True,
    )
    if args.cert:
        tls = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        tls.load_cert_chain(args.cert, args.key)
        params["tls_context"] = tls

    controller = listen(Sink(args.maildir), params)
    implicit = None
    if args.tls_port_file:
        if not args.cert:
            raise SystemExit("smtp_sink: --tls-port-file needs --cert and --key")
        implicit_params = dict(params)
        del implicit_params["tls_context"]
        implicit = listen(Sink(args.maildir), implicit_params, ssl_context=params["tls_context"])
        write_port(args.tls_port_file, implicit.port)
    write_port(args.port_file, controller.port)

    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    stop.wait()
    controller.stop()
    if implicit is not None:
        implicit.stop()


if __name__ == "__main__":
    main()
