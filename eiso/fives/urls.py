"""URLs of 5S."""

from django.urls import path

from eiso.fives.views import inspections, ranking, setup

app_name = "fives"

urlpatterns = [
    path("fives/", ranking.ranking, name="ranking"),
    path("fives/inspections/", inspections.inspection_list, name="inspection-list"),
    path("fives/inspections/new/", inspections.inspection_create, name="inspection-create"),
    path("fives/inspections/<int:pk>/", inspections.inspection_detail, name="inspection-detail"),
    path("fives/inspections/<int:pk>/fill/", inspections.inspection_fill, name="inspection-fill"),
    path("fives/inspections/<int:pk>/cancel/", inspections.inspection_cancel, name="inspection-cancel"),
    path("fives/answers/<int:pk>/photo/", inspections.fivesanswer_photo, name="fivesanswer-photo"),
    path("fives/answers/<int:pk>/attach/", inspections.fivesanswer_attach, name="fivesanswer-attach"),
    path("fives/answers/<int:pk>/nonconformity/", inspections.fivesanswer_nonconformity,
         name="fivesanswer-nonconformity"),
    path("fives/programmes/", setup.programme_list, name="programme-list"),
    path("fives/programmes/<int:pk>/edit/", setup.fivesprogramme_update, name="fivesprogramme-update"),
    path("fives/areas/", setup.area_list, name="area-list"),
    path("fives/areas/new/", setup.area_create, name="area-create"),
    path("fives/areas/<int:pk>/edit/", setup.area_update, name="area-update"),
    path("fives/checklist/", setup.checklist, name="checklist"),
    path("fives/checklist/new/", setup.fivesitem_create, name="fivesitem-create"),
    path("fives/checklist/<int:pk>/edit/", setup.fivesitem_update, name="fivesitem-update"),
    path("fives/checklist/<int:pk>/remove/", setup.fivesitem_remove, name="fivesitem-remove"),
    path("fives/rewards/new/", setup.reward_create, name="reward-create"),
    path("fives/rewards/<int:pk>/remove/", setup.reward_remove, name="reward-remove"),
]
