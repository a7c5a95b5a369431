"""Opportunity pages under `sales:`; the sales home is the pipeline board."""

from django.urls import path

from suanpan.sales.views import opportunities as views

urlpatterns = [
    path("", views.opportunity_board, name="home"),
    path("pipeline/", views.opportunity_board, name="opportunity_board"),
    path("pipeline/forecast/", views.pipeline_forecast, name="pipeline_forecast"),
    path("opportunities/", views.opportunity_list, name="opportunity_list"),
    path("opportunities/new/", views.opportunity_create, name="opportunity_create"),
    path("opportunities/<int:pk>/", views.opportunity_detail, name="opportunity_detail"),
    path("opportunities/<int:pk>/edit/", views.opportunity_edit, name="opportunity_edit"),
    path("opportunities/<int:pk>/move/", views.opportunity_move, name="opportunity_move"),
    path("opportunities/<int:pk>/delete/", views.opportunity_delete, name="opportunity_delete"),
    path("stages/", views.stage_list, name="stage_list"),
    path("stages/new/", views.stage_create, name="stage_create"),
    path("stages/<int:pk>/edit/", views.stage_edit, name="stage_edit"),
    path("stages/<int:pk>/move/", views.stage_move, name="stage_move"),
    path("stages/<int:pk>/toggle/", views.stage_toggle, name="stage_toggle"),
    path("stages/<int:pk>/delete/", views.stage_delete, name="stage_delete"),
]
