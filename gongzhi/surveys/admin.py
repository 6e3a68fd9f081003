from django.contrib import admin

from gongzhi.core.admin import ReadOnlyAdmin

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


@admin.register(Response)
class ResponseAdmin(ReadOnlyAdmin):
    list_display = ["survey", "submitted_at"]


@admin.register(Answer)
class AnswerAdmin(ReadOnlyAdmin):
    list_display = ["response", "question"]
