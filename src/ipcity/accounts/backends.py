from django.contrib.auth.backends import ModelBackend


class LockoutAwareBackend(ModelBackend):
    """Refuses a locked account even with the right password; the lock itself is set by login_attempt."""

    def user_can_authenticate(self, user):
        if user.is_locked:
            return False
        return super().user_can_authenticate(user)
