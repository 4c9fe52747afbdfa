"""Log in with the ID number (or tax code, or staff name), the phone number or the email."""

from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from .selectors import user_by_login_name


class LoginNameBackend(ModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if not username or password is None:
            return None
        user = user_by_login_name(username)
        if user is None:
            # Run the hasher anyway so unknown names take as long as known ones.
            get_user_model()().set_password(password)
            return None
        if user.check_password(password) and self.user_can_authenticate(user):
            return user
        return None
