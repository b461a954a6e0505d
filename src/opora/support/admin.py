"""Admin of the support structure and events; every change is audited."""

from django.contrib import admin

from opora.core.admin_audit import AuditedModelAdmin
from opora.support import models as m

OWNER = ["region", "municipality", "school"]


class MemberInline(admin.TabularInline):
    model = m.WorkingGroupMember
    extra = 0


@admin.register(m.WorkingGroup)
class WorkingGroupAdmin(AuditedModelAdmin):
    list_display = ["name", *OWNER, "order_number", "order_date"]
    raw_id_fields = OWNER
    inlines = [MemberInline]


class PersonAdmin(AuditedModelAdmin):
    list_display = ["full_name", *OWNER, "organisation", "user"]
    search_fields = ["full_name", "organisation"]
    raw_id_fields = [*OWNER, "user"]


for _model in (m.Coordinator, m.CuratorAssignment, m.TutorAssignment, m.Expert):
    admin.site.register(_model, PersonAdmin)


@admin.register(m.PartnerPair)
class PairAdmin(AuditedModelAdmin):
    list_display = ["school", "partner", "partner_kind", "agreement_number", "origin"]
    raw_id_fields = [*OWNER, "partner"]
    filter_horizontal = ["schools"]


class NetworkMemberInline(admin.TabularInline):
    model = m.NetworkMember
    extra = 0
    raw_id_fields = ["school"]


@admin.register(m.MethodicalNetwork)
class NetworkAdmin(AuditedModelAdmin):
    list_display = ["name", *OWNER, "topic"]
    raw_id_fields = OWNER
    inlines = [NetworkMemberInline]


@admin.register(m.BaseSchool)
class BaseSchoolAdmin(AuditedModelAdmin):
    list_display = ["school", "problem", "region"]
    raw_id_fields = OWNER


@admin.register(m.ConsultationPoint)
class ConsultationPointAdmin(AuditedModelAdmin):
    list_display = ["name", "municipality", "topic"]
    raw_id_fields = OWNER


class ParticipationInline(admin.TabularInline):
    model = m.EventParticipation
    extra = 0
    raw_id_fields = ["school"]


@admin.register(m.Event)
class EventAdmin(AuditedModelAdmin):
    list_display = ["date_start", "kind", "level", "topic", "participants_total"]
    list_filter = ["kind", "level", "audience"]
    search_fields = ["topic", "organiser"]
    raw_id_fields = [*OWNER, "activity"]
    inlines = [ParticipationInline]
