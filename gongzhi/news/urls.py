from django.urls import path

from . import views

app_name = "news"

NEWS = "t/<slug:town_slug>/news/"
ARTICLE = NEWS + "<int:pk>/"

urlpatterns = [
    path(NEWS, views.news_list, name="list"),
    path(NEWS + "area/<int:area_pk>/", views.area_news, name="area_news"),
    path(NEWS + "feed.atom", views.feed, name="feed"),
    path(NEWS + "write/", views.write, name="write"),
    path(NEWS + "desk/", views.desk, name="desk"),
    path(ARTICLE, views.article_detail, name="article"),
    path(ARTICLE + "poster/", views.poster, name="poster"),
    path(ARTICLE + "edit/", views.edit, name="edit"),
    path(ARTICLE + "submit/", views.submit, name="submit"),
    path(ARTICLE + "publish/", views.publish, name="publish"),
    path(ARTICLE + "return/", views.return_article, name="return"),
]
