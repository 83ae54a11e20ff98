from django.urls import path

from eiso.organizations import views

app_name = "organizations"

urlpatterns = [
    path("agencies/", views.agency_list, name="agency-list"),
    path("agencies/new/", views.agency_create, name="agency-create"),
    path("agencies/merge/", views.agency_merge, name="agency-merge"),
    path("agencies/<int:pk>/", views.agency_detail, name="agency-detail"),
    path("agencies/<int:pk>/edit/", views.agency_update, name="agency-update"),
    path("units/", views.unit_list, name="unit-list"),
    path("units/new/", views.unit_create, name="unit-create"),
    path("units/<int:pk>/", views.unit_detail, name="unit-detail"),
    path("units/<int:pk>/edit/", views.unit_update, name="unit-update"),
    path("people/", views.user_list, name="user-list"),
    path("people/new/", views.user_create, name="user-create"),
    path("people/<int:pk>/", views.user_detail, name="user-detail"),
    path("people/<int:pk>/edit/", views.user_update, name="user-update"),
    path("job-descriptions/", views.jobdescription_list, name="jobdescription-list"),
    path("job-descriptions/new/", views.jobdescription_create, name="jobdescription-create"),
    path("job-descriptions/<int:pk>/", views.jobdescription_detail, name="jobdescription-detail"),
    path("job-descriptions/<int:pk>/edit/", views.jobdescription_update, name="jobdescription-update"),
    path("steering-committees/", views.steeringcommittee_list, name="steeringcommittee-list"),
    path("steering-committees/new/", views.steeringcommittee_create, name="steeringcommittee-create"),
    path("steering-committees/<int:pk>/", views.steeringcommittee_detail, name="steeringcommittee-detail"),
    path(
        "steering-committees/<int:pk>/edit/", views.steeringcommittee_update, name="steeringcommittee-update"
    ),
    path("steering-committees/<int:pk>/members/new/", views.steeringmember_add, name="steeringmember-add"),
    path(
        "steering-committees/<int:pk>/members/<int:member_pk>/remove/",
        views.steeringmember_remove,
        name="steeringmember-remove",
    ),
    path("audit-events/", views.auditevent_list, name="auditevent-list"),
    path("calendar/", views.calendar_year, name="calendar"),
    path("calendar/exceptions/new/", views.calendar_exception_add, name="calendarexception-add"),
    path(
        "calendar/exceptions/<int:pk>/remove/",
        views.calendar_exception_remove,
        name="calendarexception-remove",
    ),
    path("calendar/office-hours/", views.office_hours_update, name="officehours-update"),
]
