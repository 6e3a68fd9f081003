from django.contrib import admin

from gongzhi.core.admin import ReadOnly, ReadOnlyAdmin, register_read_only

from .models import Article, ArticlePhoto


class ArticlePhotoInline(ReadOnly, admin.TabularInline):
    model = ArticlePhoto
    extra = 0
    can_delete = False


@admin.register(Article)
class ArticleAdmin(ReadOnlyAdmin):
    """Articles change through their pages: the author writes and submits, the
    secretariat or the area's staff publish or return (the services check who and
    write the audit trail); an edit here would skip the review. The admin shows them."""

    list_display = ["title", "town", "area", "author_role", "status", "published_at"]
    list_filter = ["town", "status", "author_role"]
    search_fields = ["title", "summary"]
    raw_id_fields = ["area", "author", "published_by", "project", "activity", "process", "meeting"]
    date_hierarchy = "published_at"
    inlines = [ArticlePhotoInline]


register_read_only(ArticlePhoto, "article", "caption", raw_id_fields=["article"])
