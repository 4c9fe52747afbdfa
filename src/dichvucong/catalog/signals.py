"""Cache invalidation, and nothing else: any save or delete of an agency or a field, whatever
made it (services, the admin, `loaddata`, a test's `objects.create`), gives the catalogue a new
version so the filter options kept by every process are read again (options.py).

A signal rather than a call in each service: the options must never be stale, and not every
write of these rows goes through `catalog.services` (the admin's forms, fixtures, tests).
Queryset `.update()` sends no signal: `catalogue_changed()` must follow one that touches the
name, code, activity or level of agencies, or the name, position or activity of fields.
"""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from .models import Agency, Field
from .options import catalogue_changed


@receiver(post_save, sender=Agency, dispatch_uid="catalog-options-agency-saved")
@receiver(post_delete, sender=Agency, dispatch_uid="catalog-options-agency-deleted")
@receiver(post_save, sender=Field, dispatch_uid="catalog-options-field-saved")
@receiver(post_delete, sender=Field, dispatch_uid="catalog-options-field-deleted")
def _options_changed(sender, using=None, **kwargs) -> None:
    catalogue_changed(using=using)
