from ipcity.accounts.models import Organization, User
from ipcity.accounts.permissions import permissions_of
from ipcity.accounts.roles import Perm


def platform(request):
    user = getattr(request, "user", None)
    perms = permissions_of(user)
    return {
        "perms": perms,
        "Perm": Perm,
        # Demo data is synthetic: every page says so while any synthetic record exists.
        "synthetic_data_present": Organization.objects.filter(is_synthetic=True).exists()
        or User.objects.filter(is_synthetic=True).exists(),
    }
