"""The kinds of course shipped with eISO (an administrator changes or adds to them)."""

from django.db import migrations

KINDS = [
    # code, name, qualifies internal auditors, procedure briefing, order
    ("awareness", "Nhận thức về TCVN ISO 9001:2015", False, False, 10),
    ("internal_auditor", "Chuyên gia đánh giá nội bộ", True, False, 20),
    ("briefing", "Phổ biến quy trình, tài liệu", False, True, 30),
    ("fives", "Thực hành 5S", False, False, 40),
    ("other", "Đào tạo khác", False, False, 90),
]


def ship(apps, schema_editor):
    CourseKind = apps.get_model("people", "CourseKind")
    for code, name, auditor, briefing, order in KINDS:
        CourseKind.objects.get_or_create(code=code, defaults={
            "name": name, "qualifies_auditor": auditor, "is_briefing": briefing, "order": order})


def unship(apps, schema_editor):
    apps.get_model("people", "CourseKind").objects.filter(code__in=[k[0] for k in KINDS]).delete()


class Migration(migrations.Migration):
    dependencies = [("people", "0001_initial")]
    operations = [migrations.RunPython(ship, unship)]
