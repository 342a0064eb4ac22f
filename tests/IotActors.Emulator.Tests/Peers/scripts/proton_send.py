#!/usr/bin/python3
"""Send N messages shaped like the IoT Platform's pushes with Apache Qpid Proton.

Each message has one AMQP `data` section (bytes) and the application properties
`topic` (string), `messageId` (string) and `generateTime` (AMQP long: proton encodes a
Python int as long), plus the standard message-id set to the same value.

Waits until every delivery is settled by the peer, then prints one summary line:
  sent=N accepted=N rejected=N released=N modified=N
Exit 0 only when all N were accepted; 2 on bad arguments, 3 on timeout, 4 on other errors, 5 on auth failure.

Usage: proton_send.py --url amqp://127.0.0.1:5672 --address /queue/NAME --user guest --password guest
                      --count 5 [--topic "/a1Peer000/dev-{i:05d}/thing/event/property/post"]
                      [--message-id-base 1700000000000000000] [--generate-time MS] [--timeout 20]
"""
import argparse
import json
import sys
import time

from proton import Message
from proton.handlers import MessagingHandler
from proton.reactor import Container

from proton_outcome import Outcome


class Sender(Outcome, MessagingHandler):
    def __init__(self, args):
        super().__init__()
        self.args = args
        self.sent = 0
        self.outcomes = {"accepted": 0, "rejected": 0, "released": 0, "modified": 0}
        self.exit_code = None
        self.error = None
        self.timer = None
        self.closing = False

    def settled_count(self):
        return sum(self.outcomes.values())

    def on_start(self, event):
        self.timer = event.container.schedule(self.args.timeout, self)
        conn = event.container.connect(
            self.args.url,
            user=self.args.user,
            password=self.args.password,
            allowed_mechs="PLAIN",
            allow_insecure_mechs=True,
            reconnect=False,
        )
        event.container.create_sender(conn, self.args.address)

    def on_timer_task(self, event):
        self.finish(event.container, 3, "timeout after %ss: sent %d, settled %d of %d"
                    % (self.args.timeout, self.sent, self.settled_count(), self.args.count))

    def on_sendable(self, event):
        while event.sender.credit and self.sent < self.args.count:
            i = self.sent
            message_id = str(self.args.message_id_base + i)
            body = json.dumps({"seq": i, "source": "qpid-proton"}, separators=(",", ":")).encode("utf-8")
            message = Message(
                id=message_id,
                body=body,  # bytes -> one AMQP data section
                properties={
                    "topic": self.args.topic.format(i=i),
                    "messageId": message_id,
                    "generateTime": self.args.generate_time + i,  # Python int -> AMQP long
                },
            )
            message.inferred = True
            event.sender.send(message)
            self.sent += 1

    def _outcome(self, event, name):
        self.outcomes[name] += 1
        if self.settled_count() >= self.args.count:
            self.finish(event.container, 0 if self.outcomes["accepted"] == self.args.count else 4, None, event.connection)

    def on_accepted(self, event):
        self._outcome(event, "accepted")

    def on_rejected(self, event):
        self._outcome(event, "rejected")

    def on_released(self, event):
        self._outcome(event, "released")

    def on_modified(self, event):
        self._outcome(event, "modified")

    def on_link_error(self, event):
        self.finish(event.container, 4, "link error: %s" % event.link.remote_condition)

    def on_connection_error(self, event):
        self.finish(event.container, 4, "connection error: %s" % event.connection.remote_condition)



def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--url", required=True)
    parser.add_argument("--address", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--count", type=int, default=1)
    parser.add_argument("--topic", default="/a1Peer000/dev-{i:05d}/thing/event/property/post",
                        help="topic template; {i} is the message index from 0")
    parser.add_argument("--message-id-base", type=int, default=1700000000000000000)
    parser.add_argument("--generate-time", type=int, default=None, help="epoch ms of message 0 (default: now)")
    parser.add_argument("--timeout", type=float, default=20.0)
    args = parser.parse_args()
    if args.generate_time is None:
        args.generate_time = int(time.time() * 1000)
    if args.count < 0 or args.timeout <= 0:
        parser.error("--count must be >= 0 and --timeout > 0")

    sender = Sender(args)
    if args.count == 0:
        print("sent=0 accepted=0 rejected=0 released=0 modified=0", flush=True)
        return 0
    Container(sender).run()
    code = sender.exit_code if sender.exit_code is not None else 4
    print("sent=%d accepted=%d rejected=%d released=%d modified=%d"
          % (sender.sent, sender.outcomes["accepted"], sender.outcomes["rejected"],
             sender.outcomes["released"], sender.outcomes["modified"]), flush=True)
    if sender.error:
        print("error: " + sender.error, file=sys.stderr, flush=True)
    return code


if __name__ == "__main__":
    sys.exit(main())
