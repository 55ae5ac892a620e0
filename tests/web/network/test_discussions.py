import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from offlabel.web.network import services
from offlabel.web.network.models import Notification, Post
from offlabel.web.network.ratelimit import POST_LIMIT, RateLimited

pytestmark = pytest.mark.django_db

HOSTILE = (
    "<script>alert(1)</script> [click](javascript:alert(2)) <img src=x onerror=alert(3)>\n\n"
    '<iframe src="https://evil.example"></iframe> <a href="#" onclick="steal()">x</a>\n\n'
    "![pic](https://evil.example/p.png) [data](data:text/html;base64,PHNjcmlwdD4=)"
)


def test_a_reply_appears_in_the_thread(world, thread, client_for):
    client = client_for(world.clinician)
    response = client.post(
        reverse("network:thread_reply", args=[thread.pk]), {"body": "At bedtime, **always**."}
    )
    assert response.status_code == 302
    page = client.get(thread.get_absolute_url()).content.decode()
    assert "<strong>always</strong>" in page


def test_hidden_posts_are_not_shown_except_to_editors(world, thread, client_for):
    post = services.post_create(thread=thread, author=world.clinician, body="Rude remark here")
    client_for(world.editor).post(
        reverse("network:post_hide", args=[post.pk]), {"action": "hide", "reason": "Off topic"}
    )
    post.refresh_from_db()
    assert post.is_hidden and post.hidden_by == world.editor
    assert (
        "Rude remark here"
        not in client_for(world.vet).get(thread.get_absolute_url()).content.decode()
    )
    editor_page = client_for(world.editor).get(thread.get_absolute_url()).content.decode()
    assert "Rude remark here" in editor_page and "Off topic" in editor_page
    services.post_set_hidden(post=post, by=world.editor, hidden=False)
    assert (
        "Rude remark here" in client_for(world.vet).get(thread.get_absolute_url()).content.decode()
    )


def test_hidden_posts_do_not_count_on_the_list(world, thread, client_for):
    post = services.post_create(thread=thread, author=world.clinician, body="x")
    services.post_set_hidden(post=post, by=world.editor, hidden=True)
    page = client_for(world.vet).get(reverse("network:discussions")).content.decode()
    assert "· 1 message ·" in page


def test_a_locked_thread_refuses_replies_and_saves_nothing(world, thread, client_for):
    services.thread_moderate(thread=thread, by=world.editor, is_locked=True)
    with pytest.raises(ValidationError, match="locked"):
        services.post_create(thread=thread, author=world.vet, body="One more thing")
    response = client_for(world.vet).post(
        reverse("network:thread_reply", args=[thread.pk]), {"body": "One more thing"}
    )
    assert "locked" in response.content.decode()
    assert thread.posts.count() == 1
    services.thread_moderate(thread=thread, by=world.editor, is_locked=False)
    services.post_create(thread=thread, author=world.vet, body="One more thing")
    assert thread.posts.count() == 2


@pytest.mark.parametrize("who", ["vet", "clinician", "reviewer"])
def test_only_editors_moderate(world, thread, who, client_for):
    post = thread.posts.get()
    with pytest.raises(PermissionDenied):
        services.post_set_hidden(post=post, by=world.by_name(who), hidden=True)
    with pytest.raises(PermissionDenied):
        services.thread_moderate(thread=thread, by=world.by_name(who), is_locked=True)
    client = client_for(world.by_name(who))
    assert client.post(reverse("network:post_hide", args=[post.pk])).status_code == 403
    assert (
        client.post(
            reverse("network:thread_moderate", args=[thread.pk]), {"action": "lock"}
        ).status_code
        == 403
    )


def test_posting_faster_than_the_limit_is_refused_clearly_and_saves_nothing(
    world, thread, client_for
):
    client = client_for(world.clinician)
    url = reverse("network:thread_reply", args=[thread.pk])
    for n in range(POST_LIMIT):
        assert client.post(url, {"body": f"message {n}"}).status_code == 302
    response = client.post(url, {"body": "one too many"})
    assert response.status_code == 429
    assert "the most we allow" in response.content.decode()
    assert not Post.objects.filter(body="one too many").exists()
    # The limit is per account: a colleague can still post.
    assert client_for(world.reviewer).post(url, {"body": "mine"}).status_code == 302


def test_starting_threads_counts_toward_the_same_limit(world, dm):
    for n in range(POST_LIMIT):
        services.thread_create(topic=dm, author=world.reviewer, title=f"T{n}", body="x")
    with pytest.raises(RateLimited):
        services.thread_create(topic=dm, author=world.reviewer, title="late", body="x")
    assert not dm.threads.filter(title="late").exists()


def test_mentions_by_display_name_and_email_local_part_notify_and_email(
    world, thread, django_capture_on_commit_callbacks
):
    world.clinician.display_name = "Dr Chen"
    world.clinician.save()
    with django_capture_on_commit_callbacks(execute=True):
        services.post_create(
            thread=thread,
            author=world.vet,
            body="Thoughts, @Dr Chen? And @reviewer, please. Not @nobody, nor x@patient.",
        )
    mentioned = set(
        Notification.objects.filter(kind="mention").values_list("recipient__email", flat=True)
    )
    assert mentioned == {world.clinician.email, world.reviewer.email}
    assert {m.to[0] for m in mail.outbox} == {world.clinician.email, world.reviewer.email}
    assert all("mentioned you" in m.subject for m in mail.outbox)


def test_earlier_participants_hear_of_replies_once(world, thread):
    services.post_create(thread=thread, author=world.clinician, body="First reply")
    services.post_create(thread=thread, author=world.reviewer, body="@vet and @clinician")
    vet_notes = Notification.objects.filter(recipient=world.vet)
    # The vet heard of the first reply, then was mentioned in the second (no extra reply notice).
    assert sorted(vet_notes.values_list("kind", flat=True)) == ["mention", "reply"]
    assert Notification.objects.filter(recipient=world.clinician).count() == 1


def test_hostile_markdown_in_a_post_is_rendered_inert(world, thread, client_for, assert_inert):
    services.post_create(thread=thread, author=world.clinician, body=HOSTILE)
    page = client_for(world.vet).get(thread.get_absolute_url()).content.decode()
    bodies = page.split('class="post-body">')[1:]
    assert len(bodies) == 2
    for body in bodies:
        assert_inert(body.split("</div>")[0])
    assert "&lt;script&gt;" in page


def test_hostile_markdown_in_a_consult_message_is_rendered_inert(
    world, listing, prescriber, client_for, assert_inert
):
    consult = services.consult_request_create(
        requester=world.vet, topic=listing.topic, prescriber=prescriber, question="Q"
    )
    services.consult_decide(consult=consult, by=prescriber, accept=True)
    services.consult_message_send(consult=consult, author=world.vet, body=HOSTILE)
    page = client_for(prescriber).get(consult.get_absolute_url()).content.decode()
    body = page.split('class="post-body">')[1].split("</div>")[0]
    assert_inert(body)


def test_empty_messages_are_refused(world, thread):
    with pytest.raises(ValidationError, match="empty"):
        services.post_create(thread=thread, author=world.vet, body="   ")


def test_thread_page_query_count_is_pinned(
    world, thread, client_for, django_assert_max_num_queries
):
    for n in range(8):
        author = (world.clinician, world.reviewer, world.editor)[n % 3]
        services.post_create(thread=thread, author=author, body=f"reply {n}")
    client = client_for(world.vet)
    with django_assert_max_num_queries(10):
        response = client.get(thread.get_absolute_url())
    assert response.content.decode().count('class="post-body"') == 9
