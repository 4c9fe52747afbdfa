import threading

import pytest
from django.db import connection

from dichvucong.accounts.models import User
from dichvucong.accounts.services import account_register
from dichvucong.core.errors import ApplicationError

from .factories import PASSWORD, registration


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_two_simultaneous_registrations_with_one_phone_create_one_account():
    """The form's duplicate check can race; the database constraint decides, cleanly."""
    first = registration(phone="0911222333", email="mot@example.vn")
    second = registration(phone="0911222333", email="hai@example.vn")
    barrier = threading.Barrier(2)
    outcomes: list[str] = []

    def register(data):
        try:
            barrier.wait()
            account_register(data=data, password=PASSWORD)
            outcomes.append("created")
        except ApplicationError as error:
            outcomes.append(error.code)
        finally:
            connection.close()

    threads = [threading.Thread(target=register, args=(d,)) for d in (first, second)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert sorted(outcomes) == ["created", "duplicate"]
    assert User.objects.filter(phone="0911222333").count() == 1
