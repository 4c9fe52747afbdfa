"""One dossier's life through the real workflow actions at chosen times, under a clock the
services obey. Used by the stats tests and the statistics browser journey."""

import datetime as dt
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.apps import apps
from django.utils import timezone

from dichvucong.accounts.tests.factories import staff
from dichvucong.dossiers import services
from dichvucong.dossiers.models import Dossier
from dichvucong.dossiers.tests.factories import agency, procedure, submitted
from dichvucong.dossiers.tests.files import pdf
from dichvucong.dossiers.workflow import actions

HCM = ZoneInfo("Asia/Ho_Chi_Minh")


def at(year: int, month: int, day: int, hour: int = 9, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=HCM)


class Clock:
    """`clock.set(moment)`: what `timezone.now()` answers from now on (the services, the model
    defaults and auto_now fields all ask it)."""

    def __init__(self, monkeypatch):
        self.original = timezone.now
        self.moment = self.original()
        monkeypatch.setattr(timezone, "now", self.now)
        for model in apps.get_models():
            for field in model._meta.concrete_fields:
                if field.default is self.original:
                    # Field caches its default's callable (cached_property `_get_default`):
                    # replace the cache first, so that what is restored afterwards is the
                    # original (computed from the original default), not this clock.
                    monkeypatch.setattr(field, "_get_default", self.now)
                    monkeypatch.setattr(field, "default", self.now)

    def now(self) -> dt.datetime:
        return self.moment

    def set(self, moment: dt.datetime) -> dt.datetime:
        self.moment = moment
        return moment


@dataclass
class Office:
    """An agency with its three officers and a procedure of `days` working days."""

    agency: object
    reception: object
    handler: object
    leader: object
    procedure: object


def office(*, days: int = 3, levels=(3, 4), agency_=None) -> Office:
    agency_ = agency_ or agency()
    return Office(
        agency=agency_,
        reception=staff(agency=agency_, role="reception"),
        handler=staff(agency=agency_, role="handler"),
        leader=staff(agency=agency_, role="leader"),
        procedure=procedure(agency_=agency_, processing_days=days, levels=levels),
    )


class Life:
    """One dossier moved through the real actions; each step at the clock's time."""

    def __init__(self, clock: Clock, where: Office, *, level: int = 3, user=None):
        self.clock, self.office = clock, where
        kwargs = {"procedure_": where.procedure, "level": level}
        if user is not None:
            kwargs["user"] = user
        self.dossier = submitted(**kwargs)

    def _fresh(self) -> Dossier:
        self.dossier = Dossier.objects.get(pk=self.dossier.pk)
        return self.dossier

    def _at(self, moment):
        if moment is not None:
            self.clock.set(moment)
        return self._fresh()

    def receive(self, moment=None):
        d = self._at(moment)
        actions.dossier_receive(
            dossier_id=d.pk, user=self.office.reception, expected_version=d.version
        )
        return self._fresh()

    def process(self, moment=None):
        d = self._at(moment)
        actions.dossier_start_processing(
            dossier_id=d.pk,
            user=self.office.reception,
            expected_version=d.version,
            assignee=self.office.handler,
        )
        return self._fresh()

    def pause(self, moment=None):
        d = self._at(moment)
        actions.dossier_request_supplement(
            dossier_id=d.pk, user=self.office.handler, expected_version=d.version, note="Bổ sung"
        )
        return self._fresh()

    def resume(self, moment=None):
        d = self._at(moment)
        services.dossier_supplement(
            dossier_id=d.pk,
            user=d.applicant,
            note="Đã bổ sung",
            uploads=[pdf()],
            expected_version=d.version,
        )
        return self._fresh()

    def apologise(self, new_due: dt.date, moment=None):
        d = self._at(moment)
        actions.dossier_apologise(
            dossier_id=d.pk,
            user=self.office.handler,
            expected_version=d.version,
            new_due=new_due,
            note="Cần xác minh thêm",
        )
        return self._fresh()

    def decide(self, moment=None, *, approve: bool = True):
        """Propose and approve (or decline) at the same moment."""
        d = self._at(moment)
        if d.status == "received":
            d = self.process()
        actions.dossier_propose(
            dossier_id=d.pk,
            user=self.office.handler,
            expected_version=d.version,
            note="Đề nghị",
            uploads=[pdf("du-thao.pdf")],
        )
        d = self._fresh()
        if approve:
            actions.dossier_approve(
                dossier_id=d.pk, user=self.office.leader, expected_version=d.version
            )
        else:
            actions.dossier_decline(
                dossier_id=d.pk,
                user=self.office.leader,
                expected_version=d.version,
                note="Không đủ điều kiện",
            )
        return self._fresh()

    def return_result(self, moment=None):
        d = self._at(moment)
        actions.dossier_return_result(
            dossier_id=d.pk, user=self.office.reception, expected_version=d.version
        )
        return self._fresh()
