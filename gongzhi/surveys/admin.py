from django.contrib import admin

from gongzhi.core.admin import register_read_only

from .models import Answer, Question, Response, Survey


class QuestionInline(admin.TabularInline):
    model = Question
    extra = 0


@admin.register(Survey)
class SurveyAdmin(admin.ModelAdmin):
    list_display = ["title", "town", "area", "status", "allows_anonymous"]
    list_filter = ["town", "status"]
    search_fields = ["title"]
    raw_id_fields = ["created_by"]
    inlines = [QuestionInline]


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["text", "survey", "order", "kind", "required"]
    raw_id_fields = ["survey"]


register_read_only(Response, "survey", "submitted_at")
register_read_only(Answer, "response", "question")
