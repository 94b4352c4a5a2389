"""Who may see the meeting pages."""

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse

PAGES = [reverse("meetings:list"), reverse("meetings:detail", args=[1])]


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_anonymous_user_is_redirected_to_login(client, source_data, url):
    response = client.get(url)

    assert response.status_code == 302
    assert response.url == f"{reverse('login')}?next={url}"


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
def test_user_without_a_role_is_forbidden(client, source_data, url):
    client.force_login(get_user_model().objects.create_user("norole", password="pw-norole-1"))

    assert client.get(url).status_code == 403


@pytest.mark.django_db
@pytest.mark.parametrize("url", PAGES)
@pytest.mark.parametrize("role_client", ["viewer_client", "editor_client"])
def test_viewers_and_editors_can_read(request, source_data, url, role_client):
    assert request.getfixturevalue(role_client).get(url).status_code == 200


@pytest.mark.django_db
def test_navigation_marks_the_meetings_section_as_current(viewer_client, source_data):
    content = viewer_client.get(reverse("meetings:detail", args=[1])).content.decode()

    assert '<a href="/meetings/" aria-current="page">会議</a>' in content
