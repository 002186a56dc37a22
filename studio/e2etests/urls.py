from django.urls import path

from studio.e2etests import views

urlpatterns = [
    path("assistants/<slug:slug>/tests/", views.tests_page, name="e2e_tests"),
    path("assistants/<slug:slug>/tests/run/", views.run_view, name="e2e_tests_run"),
    path("assistants/<slug:slug>/tests/case/", views.case_view, name="e2e_test_case"),
    path("assistants/<slug:slug>/tests/case/delete/", views.case_delete_view, name="e2e_test_case_delete"),
    path("assistants/<slug:slug>/tests/generate/", views.generate_view, name="e2e_tests_generate"),
    path("assistants/<slug:slug>/tests/coverage/<str:flow_id>/", views.coverage_graph_view, name="e2e_coverage_graph"),
    path("assistants/<slug:slug>/tests/from-conversation/<int:conversation_id>/", views.conversation_test_view,
         name="e2e_test_from_conversation"),
]
