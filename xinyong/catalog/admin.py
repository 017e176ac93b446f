"""Back office views of the catalog and the rules table: read-only.

The YAML files are the source and `catalog_load` / `rules_load` the one way to change them (validated,
audited); an edit here would bypass both, so the admin only shows.
"""

from django.contrib import admin

from xinyong.catalog.models import CatalogVersion, Category, CategoryField, Rule


class ReadOnlyAdminMixin:
    """View permission only: no add, change or delete."""

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(CatalogVersion)
class CatalogVersionAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("version", "effective_from", "loaded_at", "sha256")
    ordering = ("-loaded_at",)


class CategoryFieldInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = CategoryField
    fields = ("order", "code", "name", "type", "required", "rule", "max_length", "tier", "active")
    readonly_fields = fields
    ordering = ("order",)
    extra = 0


@admin.register(Category)
class CategoryAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = (
        "code",
        "name",
        "polarity",
        "shuanggongshi",
        "deadline_working_days",
        "providers_open",
        "active",
    )
    list_filter = ("polarity", "shuanggongshi", "active")
    search_fields = ("code", "name")
    inlines = (CategoryFieldInline,)


@admin.register(Rule)
class RuleAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("key", "effective_from", "values", "source")
    list_filter = ("key",)
    search_fields = ("key", "source")
    ordering = ("key", "effective_from")
