import pytest
from django.urls import reverse

from dichvucong.accounts.models import User
from dichvucong.backoffice.tests.helpers import login_staff
from dichvucong.dossiers.models import DossierAccess

from .factories import submitted

pytestmark = pytest.mark.django_db


def admin_client(client):
    admin = User.objects.create_superuser("quantri-test", password="x" * 12)
    client.force_login(admin)
    return client


def test_administrators_browse_and_filter_the_audit_but_cannot_change_it(client):
    dossier = submitted()
    from dichvucong.accounts.tests.factories import staff

    officer = staff(agency=dossier.agency, role="reception")
    login_staff(client, officer)
    client.get(reverse("backoffice:dossier", kwargs={"pk": dossier.pk}))
    client.logout()
    admin_client(client)
    listing = client.get(reverse("admin:dossiers_dossieraccess_changelist"), {"kind": "view"})
    assert listing.status_code == 200
    assert dossier.code in listing.content.decode()
    access = DossierAccess.objects.get()
    change = client.get(reverse("admin:dossiers_dossieraccess_change", args=[access.pk]))
    assert b'name="_save"' not in change.content  # read-only
    delete = client.post(
        reverse("admin:dossiers_dossieraccess_delete", args=[access.pk]), {"post": "yes"}
    )
    assert delete.status_code == 403
    assert DossierAccess.objects.filter(pk=access.pk).exists()
    events = client.get(reverse("admin:dossiers_dossierevent_changelist"), {"q": dossier.code})
    assert events.status_code == 200
    assert client.get(reverse("admin:dossiers_lookuplog_changelist")).status_code == 200


def test_staff_without_admin_rights_cannot_read_the_audit(client):
    dossier = submitted()
    from dichvucong.accounts.tests.factories import staff

    client.force_login(staff(agency=dossier.agency, role="leader"))
    response = client.get(reverse("admin:dossiers_dossieraccess_changelist"))
    assert response.status_code == 302  # to the admin login
