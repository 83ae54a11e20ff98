"""A list's filter form keeps its rendered markup under a digest of what it renders
(``FilterForm.render_key``, ``includes/filters.html``)."""

from django import forms
from django.http import QueryDict
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils import translation

from eiso.organizations.forms import FilterForm
from eiso.organizations.models import Unit


class Filters(FilterForm):
    kind = forms.ChoiceField(label="Kind", required=False)

    def __init__(self, *args, kinds=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [("", "All"), *kinds]


def html(form, path="/things/") -> str:
    request = RequestFactory().get(path)
    return render_to_string("includes/filters.html", {"filters": form, "request": request})


def test_the_key_follows_the_choices_the_data_and_the_language():
    kinds = [("a", "Alpha"), ("b", "Beta")]
    key = Filters(kinds=kinds).render_key()
    assert key and Filters(kinds=kinds).render_key() == key
    assert Filters(kinds=[*kinds, ("c", "Gamma")]).render_key() != key
    assert Filters(kinds=[("a", "Alpha"), ("b", "Bêta")]).render_key() != key
    assert Filters(QueryDict("kind=a"), kinds=kinds).render_key() != key
    picked_a = Filters(QueryDict("kind=a"), kinds=kinds).render_key()
    assert picked_a != Filters(QueryDict("kind=b"), kinds=kinds).render_key()
    with translation.override("en"):
        english = Filters(kinds=kinds).render_key()
    with translation.override("vi"):
        assert Filters(kinds=kinds).render_key() != english


def test_the_kept_markup_is_the_markup_of_the_form_shown():
    kinds = [("a", "Alpha"), ("b", "Beta")]
    first = html(Filters(QueryDict("kind=b"), kinds=kinds))
    assert 'value="b" selected' in first
    assert html(Filters(QueryDict("kind=b"), kinds=kinds)) == first
    changed = html(Filters(QueryDict("kind=b"), kinds=[*kinds, ("c", "Gamma")]))
    assert "Gamma" in changed and "Gamma" not in first
    assert 'action="/other/"' in html(Filters(QueryDict("kind=b"), kinds=kinds), "/other/")


def test_a_form_reading_its_choices_as_it_renders_is_not_kept():
    class WithModelChoices(FilterForm):
        unit = forms.ModelChoiceField(queryset=Unit.objects.none(), required=False)

    assert WithModelChoices().render_key() == ""
