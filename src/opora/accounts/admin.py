from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from opora.accounts.models import Membership, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["region", "municipality", "school"]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    inlines = [MembershipInline]
    fieldsets = (
        *(BaseUserAdmin.fieldsets or ()),
        ("Работа", {"fields": ("position", "organisation")}),
    )
