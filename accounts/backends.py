from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend

from accounts.permissions import with_roles


class RoleBackend(ModelBackend):
    """Django's own sign-in by username and password; the signed-in user each request
    loads arrives with its roles, in the one query that loads it."""

    def get_user(self, user_id):
        users = get_user_model()._default_manager
        try:
            user = with_roles(users.all()).get(pk=user_id)
        except users.model.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
