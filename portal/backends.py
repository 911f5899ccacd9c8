from django.contrib.auth import get_user_model
from django.contrib.auth.backends import ModelBackend


class UserBackend(ModelBackend):
    """Django's password backend, loading the user's commune with the user in the one query every
    page makes anyway, so the navigation bar can say "phường" or "tổ dân phố" for a ward."""

    def get_user(self, user_id):
        user = get_user_model()._default_manager.select_related("commune").filter(pk=user_id).first()
        return user if user is not None and self.user_can_authenticate(user) else None
