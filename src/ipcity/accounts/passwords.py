from django.contrib.auth.hashers import Argon2PasswordHasher
from django.core.exceptions import ValidationError


class Argon2Hasher(Argon2PasswordHasher):
    """Argon2id with OWASP's recommended minimum (19 MiB, 2 passes, 1 lane): about 20 ms a sign-in on two cores,
    where Django's defaults (100 MiB, 8 lanes) took 300 ms and let a few dozen sign-ins at once stall the server. The
    parameters are stored in each hash, so a later change upgrades hashes at their next sign-in."""

    time_cost = 2
    memory_cost = 19456
    parallelism = 1


class CharacterClassValidator:
    """At least three of: upper case, lower case, digits, symbols (common 等保 password rule)."""

    required = 3

    def validate(self, password, user=None):
        classes = [
            any(c.isupper() for c in password),
            any(c.islower() for c in password),
            any(c.isdigit() for c in password),
            any(not c.isalnum() for c in password),
        ]
        if sum(classes) < self.required:
            raise ValidationError("密码须包含大写字母、小写字母、数字、符号中的至少三类。", code="password_classes")

    def get_help_text(self):
        return "密码须包含大写字母、小写字母、数字、符号中的至少三类。"


class MinimumLengthValidator:
    """Django's own message for this has no Chinese translation in every release, so say it here."""

    def __init__(self, min_length: int = 10):
        self.min_length = min_length

    def validate(self, password, user=None):
        if len(password) < self.min_length:
            raise ValidationError(f"密码长度太短，至少需要 {self.min_length} 个字符。", code="password_too_short")

    def get_help_text(self):
        return f"密码至少需要 {self.min_length} 个字符。"
