from django.urls import path

from . import views

app_name = "commitments"

urlpatterns = [
    path("", views.my_plans, name="my-plans"),
    path("plans/<int:pk>/", views.plan_detail, name="plan-detail"),
    path("plans/<int:pk>/history/", views.plan_history, name="plan-history"),
    path("plans/<int:pk>/items/new/", views.item_create, name="plan-item-create"),
    path("plans/<int:pk>/assess/<str:stage>/", views.plan_assess, name="plan-assess"),
    path("plans/<int:pk>/residence/", views.plan_residence_request, name="plan-residence-request"),
    path("plans/<int:pk>/evaluate/", views.plan_evaluate, name="plan-evaluate"),
    path("plans/<int:pk>/publish/", views.plan_publish, name="plan-publish"),
    path("plans/<int:pk>/document.docx", views.plan_docx, name="plan-docx"),
    path("plans/<int:pk>/document.pdf", views.plan_pdf, name="plan-pdf"),
    path("plans/<int:pk>/paper-form/", views.plan_paper_form, name="plan-paper-form"),
    path("plans/<int:pk>/<str:action>/", views.plan_transition, name="plan-transition"),
    path("items/<int:pk>/edit/", views.item_update, name="item-update"),
    path("items/<int:pk>/delete/", views.item_delete, name="item-delete"),
    path("items/<int:pk>/evidence/", views.item_evidence, name="item-evidence"),
    path("residence/", views.residence_inbox, name="residence-inbox"),
    path("residence/<int:pk>/", views.residence_comment, name="residence-comment"),
    path("cockpit/", views.cockpit_home, name="cockpit-home"),
    path("cockpit/<int:pk>/", views.cockpit, name="cockpit"),
    path("cockpit/<int:pk>/export.xlsx", views.cockpit_export, name="cockpit-export"),
    path("cockpit/<int:pk>/remind/", views.cockpit_remind, name="cockpit-remind"),
    path("cockpit/<int:pk>/approve/", views.cockpit_approve, name="cockpit-approve"),
    path("cockpit/<int:pk>/enter/", views.cockpit_enter, name="cockpit-enter"),
    path("cockpit/<int:pk>/not-rated/", views.cockpit_excuse, name="cockpit-excuse"),
    path("ratings/<int:pk>/", views.organization_rating, name="organization-rating"),
    path("cockpit/<int:pk>/lock/", views.cockpit_lock, name="cockpit-lock"),
    path("cockpit/<int:pk>/unlock/", views.cockpit_unlock, name="cockpit-unlock"),
    path("cockpit/<int:pk>/notice-board/", views.notice_board, name="cockpit-notice-board"),
]
