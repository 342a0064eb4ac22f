#!/usr/bin/python3
"""Receive N messages the way an IoT Platform consumer does, with Apache Qpid Proton.

Independent of the C# code on purpose: it signs its own credentials (spec §1.3/§1.4), opens
TLS verifying the server against --ca (peer name = the URL host; Proton 0.37 refuses to match
127.0.0.1, so use localhost), authenticates with SASL PLAIN only, attaches one receiver link,
and ACCEPTS each message explicitly (auto_accept off).

Per message it prints one JSON line:
  {"messageId":..., "messageIdType":..., "topic":..., "generateTime":..., "generateTimeType": "long"|"int"|"ulong"|"string"|...,
   "standardMessageId":..., "bodySection":"data"|"value"|..., "bodyLength":N, "bodyBase64":...}
then a last line {"summary":{"received":N,"accepted":N}}. Exit 0 after N accepted messages;
2 on bad arguments, 3 on timeout, 4 on any other error, 5 on authentication failure.

Credentials: either --user/--password as given, or
  --access-key-id ID --access-key-secret SECRET --consumer-group GROUP --client-id CLIENT
  --sign-method hmacsha256 [--instance-id iot-...] [--timestamp MS] [--auth-mode aksign|ststoken --security-token T]
--print-credentials prints {"userName":...,"password":...} and exits without connecting.
"""
import argparse
import base64
import hashlib
import hmac
import json
import sys
import time

HASHES = {"hmacmd5": hashlib.md5, "hmacsha1": hashlib.sha1, "hmacsha256": hashlib.sha256}


def signed_credentials(args):
    """userName = clientId|k=v,...| ; password = Base64(HMAC(secret, sorted "k=v" joined by &))."""
    timestamp = str(args.timestamp if args.timestamp is not None else int(time.time() * 1000))
    params = [
        ("authMode", args.auth_mode),
        ("signMethod", args.sign_method),
        ("timestamp", timestamp),
        ("authId", args.access_key_id),
        ("consumerGroupId", args.consumer_group),
    ]
    if args.instance_id:
        params.append(("iotInstanceId", args.instance_id))
    signed = {"authId": args.access_key_id, "timestamp": timestamp}
    if args.security_token:
        params.append(("securityToken", args.security_token))
        signed["securityToken"] = args.security_token
    user_name = args.client_id + "|" + ",".join("%s=%s" % kv for kv in params) + "|"
    to_sign = "&".join("%s=%s" % (k, signed[k]) for k in sorted(signed))
    digest = hmac.new(args.access_key_secret.encode("utf-8"), to_sign.encode("utf-8"),
                      HASHES[args.sign_method.lower()]).digest()
    return user_name, base64.b64encode(digest).decode("ascii")


def amqp_type(value):
    """Name of the AMQP type proton decoded `value` from (proton maps AMQP long to Python int)."""
    from proton import int32, ulong, uint, timestamp, symbol
    if isinstance(value, bool):
        return "boolean"
    for cls, name in ((timestamp, "timestamp"), (ulong, "ulong"), (uint, "uint"), (int32, "int"), (symbol, "symbol")):
        if isinstance(value, cls):
            return name
    if isinstance(value, int):
        return "long"
    if isinstance(value, str):
        return "string"
    if isinstance(value, bytes):
        return "binary"
    if value is None:
        return "null"
    return type(value).__name__


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True, help="amqps://localhost:PORT (or amqp:// for a plain test broker)")
    parser.add_argument("--ca", help="PEM file of the CA that signed the server certificate (required for amqps)")
    parser.add_argument("--address", default=None, help="source address of the receiver link (the platform ignores it)")
    parser.add_argument("--user")
    parser.add_argument("--password")
    parser.add_argument("--access-key-id")
    parser.add_argument("--access-key-secret")
    parser.add_argument("--consumer-group")
    parser.add_argument("--client-id")
    parser.add_argument("--sign-method", default="hmacsha256", help="hmacmd5|hmacsha1|hmacsha256, case kept as given (the platform ignores case)")
    parser.add_argument("--instance-id")
    parser.add_argument("--auth-mode", default="aksign", choices=["aksign", "ststoken"])
    parser.add_argument("--security-token")
    parser.add_argument("--timestamp", type=int, default=None, help="epoch ms to sign (default: now)")
    parser.add_argument("--print-credentials", action="store_true")
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--credit", type=int, default=20)
    parser.add_argument("--heartbeat", type=float, default=120.0,
                        help="seconds; proton puts HALF of it in the open frame's idle-time-out "
                             "(verified: 60 -> 30000 ms, the platform's minimum), so the default 120 sends 60000 ms")
    parser.add_argument("--timeout", type=float, default=20.0, help="seconds for the whole run")
    args = parser.parse_args()

    if args.sign_method.lower() not in HASHES:
        parser.error("--sign-method must be one of " + ", ".join(sorted(HASHES)))
    signing = [args.access_key_id, args.access_key_secret, args.consumer_group, args.client_id]
    if any(v is not None for v in signing):
        if not all(v is not None for v in signing):
            parser.error("signed credentials need --access-key-id, --access-key-secret, --consumer-group and --client-id")
        if args.auth_mode == "ststoken" and not args.security_token:
            parser.error("--auth-mode ststoken needs --security-token")
        user, password = signed_credentials(args)
    elif args.user is not None and args.password is not None:
        user, password = args.user, args.password
    else:
        parser.error("give --user/--password or the signing arguments")
    if args.print_credentials:
        print(json.dumps({"userName": user, "password": password}), flush=True)
        return 0
    if args.url.startswith("amqps://") and not args.ca:
        parser.error("amqps needs --ca: this script never accepts an unverified server")
    if args.count < 1 or args.timeout <= 0:
        parser.error("--count must be >= 1 and --timeout > 0")

    from proton import SSLDomain, SSLException
    from proton.handlers import MessagingHandler
    from proton.reactor import Container
    from proton_outcome import Outcome

    class Receiver(Outcome, MessagingHandler):
        def __init__(self):
            super().__init__(prefetch=args.credit, auto_accept=False)
            self.received = 0
            self.accepted = 0
            self.exit_code = None
            self.error = None
            self.timer = None
            self.closing = False

        def on_start(self, event):
            self.timer = event.container.schedule(args.timeout, self)
            ssl_domain = None
            if args.url.startswith("amqps://"):
                ssl_domain = SSLDomain(SSLDomain.MODE_CLIENT)
                ssl_domain.set_trusted_ca_db(args.ca)
                ssl_domain.set_peer_authentication(SSLDomain.VERIFY_PEER_NAME)
            conn = event.container.connect(
                args.url, user=user, password=password, allowed_mechs="PLAIN",
                allow_insecure_mechs=True, ssl_domain=ssl_domain, heartbeat=args.heartbeat,
                reconnect=False)
            event.container.create_receiver(conn, args.address)

        def on_message(self, event):
            if self.exit_code is not None:
                return  # beyond --count: left unsettled, the peer gets it back when the connection closes
            message = event.message
            props = message.properties or {}
            body = message.body
            generate_time = props.get("generateTime")
            if isinstance(body, (bytes, memoryview)):
                body_bytes = bytes(body)
                section = "data" if message.inferred else "value"
            elif isinstance(body, str):
                body_bytes = body.encode("utf-8")
                section = "value"
            else:
                body_bytes = b""
                section = "value" if body is not None else "none"
            self.received += 1
            print(json.dumps({
                "messageId": props.get("messageId"),
                "messageIdType": amqp_type(props.get("messageId")),
                "topic": props.get("topic"),
                "generateTime": generate_time,
                "generateTimeType": amqp_type(generate_time),
                "standardMessageId": None if message.id is None else str(message.id),
                "bodySection": section,
                "bodyLength": len(body_bytes),
                "bodyBase64": base64.b64encode(body_bytes).decode("ascii"),
            }), flush=True)
            self.accept(event.delivery)
            self.accepted += 1
            if self.received >= args.count:
                self.finish(event.container, 0, None, event.connection)

        def on_timer_task(self, event):
            self.finish(event.container, 3, "timeout after %ss: received %d of %d" % (args.timeout, self.received, args.count))

        def on_link_error(self, event):
            self.finish(event.container, 4, "link error: %s" % event.link.remote_condition)

        def on_connection_error(self, event):
            condition = event.connection.remote_condition
            auth = condition is not None and "unauthorized" in (condition.name or "")
            self.finish(event.container, 5 if auth else 4, "connection error: %s" % condition)


    receiver = Receiver()
    try:
        Container(receiver).run()
    except SSLException as e:
        receiver.exit_code, receiver.error = 4, "TLS error: %s" % e
    print(json.dumps({"summary": {"received": receiver.received, "accepted": receiver.accepted}}), flush=True)
    if receiver.error:
        print("error: " + receiver.error, file=sys.stderr, flush=True)
    return receiver.exit_code if receiver.exit_code is not None else 4


if __name__ == "__main__":
    sys.exit(main())
