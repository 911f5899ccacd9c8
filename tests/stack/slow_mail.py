"""A mail backend for the stack test: each message takes 50 ms (an SMTP relay's pace) and is
appended, one line per recipient, to a file, so the test can count what really left."""

import time

from django.core.mail.backends.base import BaseEmailBackend


class SlowBackend(BaseEmailBackend):
    def __init__(self, file_path=None, delay=0.05, **kwargs):
        super().__init__(**kwargs)
        self.file_path = file_path
        self.delay = delay

    def send_messages(self, email_messages):
        for message in email_messages:
            time.sleep(self.delay)
            with open(self.file_path, "a") as out:
                for address in message.recipients():
                    out.write(address + "\n")
        return len(email_messages)
