from django.contrib.auth.backends import ModelBackend

from ipcity import clock


class LockoutAwareBackend(ModelBackend):
    """Refuses a locked account even with the right password; the lock itself is set by login_attempt."""

    def user_can_authenticate(self, user):
        if user.locked_until is not None and user.locked_until > clock.now():
            return False
        return super().user_can_authenticate(user)
