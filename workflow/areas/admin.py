from django.contrib import admin

from workflow.areas.models import Commune, Province


@admin.register(Province)
class ProvinceAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "division_type", "valid_from", "valid_to"]
    search_fields = ["name", "codename"]


@admin.register(Commune)
class CommuneAdmin(admin.ModelAdmin):
    list_display = ["name", "code", "province", "valid_from", "valid_to"]
    list_filter = ["province"]
    search_fields = ["name", "codename"]
