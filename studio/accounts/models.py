from django.conf import settings
from django.db import models


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
