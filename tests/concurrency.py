"""Two writers at the same moment, each on its own database connection (tests need
``django_db(transaction=True)``): what a row lock must keep apart."""

import threading
import time

from django.db import connection, transaction


def write_while_another_transaction_is_open(first_write, second_write):
    """Runs ``first_write`` in a transaction held open for a moment after it, and
    ``second_write`` in another thread while the first is still open. Raises the first error of
    either thread."""
    first_saved, second_started = threading.Event(), threading.Event()
    errors = []

    def first():
        try:
            with transaction.atomic():
                first_write()
                first_saved.set()
                second_started.wait(5)
                time.sleep(0.3)  # the second write is now waiting for this transaction
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    def second():
        try:
            first_saved.wait(5)
            second_started.set()
            second_write()
        except Exception as error:
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(10)
    if errors:
        raise errors[0]
