from django.conf import settings
from django.db import models
from django.utils import timezone


class Role(models.TextChoices):
    OWNER = "owner", "Owner"
    DESIGNER = "designer", "Designer"
    WRITER = "writer", "Writer"
    VIEWER = "viewer", "Viewer"


class Membership(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships")
    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="memberships")
    role = models.CharField(max_length=16, choices=Role.choices)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["assistant_id", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "assistant"], name="membership_unique_per_user"),
        ]

    def __str__(self) -> str:
        return f"{self.user} is {self.role} of {self.assistant}"


class InviteMethod(models.TextChoices):
    LINK = "link", "One-time link"
    PASSWORD = "password", "Temporary password"


class Invitation(models.Model):
    """A person invited to an assistant whose account has no password of their own yet.

    The membership (and so the role) exists from the start; the invitation only tracks how the
    account gets its first password. Only a SHA-256 of the link token is stored (the token is shown once); a
    temporary password is stored like any password.
    """

    assistant = models.ForeignKey("assistants.Assistant", on_delete=models.CASCADE, related_name="invitations")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitations")
    method = models.CharField(max_length=16, choices=InviteMethod.choices)
    token_hash = models.CharField(max_length=64, unique=True, null=True, blank=True)
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["assistant_id", "created_at", "pk"]

    def __str__(self) -> str:
        return f"invitation of {self.user} to {self.assistant} ({self.method})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()
