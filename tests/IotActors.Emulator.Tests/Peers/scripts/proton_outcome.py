"""How the Proton peer scripts end: one exit code per run, recorded once, with a graceful close.

Mixed into a proton MessagingHandler (put it first in the bases). The handler sets `exit_code`, `error`,
`timer` (its time limit) and `closing` in __init__. Exit codes: 4 = error, 5 = authentication failed.
Imports nothing from proton, so scripts can load it before deciding to connect.
"""


class Outcome:
    def on_transport_error(self, event):
        condition = event.transport.condition
        text = "%s" % condition
        auth = condition is not None and ("unauthorized" in (condition.name or "") or "SASL" in text or "sasl" in text)
        self.finish(event.container, 5 if auth else 4, "transport error: %s" % text)

    def finish(self, container, code, error, connection=None):
        """Record the first outcome; close gracefully when a connection is given so the peer sees every
        disposition before the process exits (stopping the container at once can drop the last
        frames). The timer stays armed meanwhile, so a peer that never answers cannot hang the script."""
        if self.exit_code is None:
            self.exit_code = code
            self.error = error
        if connection is not None and not self.closing:
            self.closing = True
            connection.close()
            return
        if self.timer is not None:
            self.timer.cancel()
        container.stop()

    def on_connection_closed(self, event):
        if self.closing:
            self.finish(event.container, 0, None)
