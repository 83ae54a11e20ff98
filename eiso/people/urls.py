from django.urls import path

from eiso.people.views import competence, onboarding, trainings

app_name = "people"
urlpatterns = [
    path("trainings/", trainings.training_list, name="training-list"),
    path("trainings/new/", trainings.training_create, name="training-create"),
    path("trainings/<int:pk>/", trainings.training_detail, name="training-detail"),
    path("trainings/<int:pk>/edit/", trainings.training_update, name="training-update"),
    path("trainings/<int:pk>/sessions/new/", trainings.training_addsession, name="training-addsession"),
    path("trainings/<int:pk>/results/new/", trainings.training_addresult, name="training-addresult"),
    path("trainings/sessions/<int:pk>/", trainings.session_detail, name="session-detail"),
    path("trainings/sessions/<int:pk>/invite/", trainings.session_invite, name="session-invite"),
    path("trainings/sessions/<int:pk>/attendance/", trainings.session_attendance, name="session-attendance"),
    path("trainings/results/<int:pk>/certificate/", trainings.result_file, name="result-file"),
    path("competence/", competence.competence_matrix, name="competence"),
    path("competence/requirements/", competence.requirement_list, name="requirement-list"),
    path("competence/requirements/<int:pk>/delete/", competence.requirement_delete, name="requirement-delete"),
    path("competence/holders/<int:pk>/delete/", competence.holder_delete, name="holder-delete"),
    path("competence/actions/new/", competence.gapaction_create, name="gapaction-create"),
    path("competence/actions/<int:pk>/complete/", competence.gapaction_complete, name="gapaction-complete"),
    path("competence/settings/", competence.settings_update, name="settings-update"),
    path("onboarding/", onboarding.onboarding_list, name="onboarding-list"),
    path("onboarding/new/", onboarding.onboarding_create, name="onboarding-create"),
    path("onboarding/<int:pk>/", onboarding.onboarding_detail, name="onboarding-detail"),
]
