"""manage.py import_assistant / export_assistant."""

import pytest
from django.core.management import CommandError, call_command

from studio.assistants.models import Assistant, Flow
from studio.exchange.yamlproject import read_directory

from exchange_projects import FIXTURES

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin(django_user_model):
    return django_user_model.objects.create(username="admin", is_superuser=True, is_staff=True)


def test_import_then_export_gives_the_project_back(admin, tmp_path, capsys):
    call_command("import_assistant", str(FIXTURES / "bank_split"), "--name", "Bank")
    assert "Imported into 'Bank' (slug bank): 4 flows, 5 slots, 10 responses, 2 actions" in capsys.readouterr().out
    call_command("export_assistant", "Bank", str(tmp_path / "out"))
    exported = read_directory(tmp_path / "out").raw_by_path()
    assert exported == read_directory(FIXTURES / "bank_split").raw_by_path()


def test_import_prints_warnings(admin, capsys):
    call_command("import_assistant", str(FIXTURES / "helpdesk_single"))
    out = capsys.readouterr().out
    assert "2 warning(s):\n  - domain.yml:32: response 'utter_old_greeting' is never used by a flow" in out


def test_reimport_into_an_existing_assistant(admin, tmp_path):
    call_command("import_assistant", str(FIXTURES / "bank_split"), "--name", "Bank")
    call_command("import_assistant", str(FIXTURES / "helpdesk_single"), "--into", "bank")
    assert Assistant.objects.count() == 1
    assert list(Flow.objects.filter(assistant__slug="bank").values_list("flow_id", flat=True)) == ["open_ticket"]


def test_invalid_project_fails_with_every_problem_listed(admin, tmp_path):
    project = tmp_path / "p"
    (project / "data").mkdir(parents=True)
    (project / "domain.yml").write_text("slots: {}\n")
    (project / "data" / "flows.yml").write_text("flows:\n  a:\n    description: d\n    steps: []\n  b:\n    steps:\n      - link: nowhere\n")
    with pytest.raises(CommandError) as err:
        call_command("import_assistant", str(project))
    assert str(err.value) == (
        "import refused, 3 problem(s):\n"
        "  - data/flows.yml:2, flow 'a': the flow has no steps\n"
        "  - data/flows.yml:5, flow 'b': flow has no 'description' (required by Rasa Pro)\n"
        "  - data/flows.yml:7, flow 'b', step 'b_0_link_nowhere': link to a flow that does not exist: 'nowhere'")
    assert not Assistant.objects.exists()


def test_missing_path_is_a_clear_error(admin):
    with pytest.raises(CommandError, match="no such file or directory: /nope"):
        call_command("import_assistant", "/nope")


def test_export_refuses_a_non_empty_directory(admin, tmp_path):
    call_command("import_assistant", str(FIXTURES / "bank_split"), "--name", "Bank")
    (tmp_path / "keep.txt").write_text("x")
    with pytest.raises(CommandError, match="is not an empty directory"):
        call_command("export_assistant", "bank", str(tmp_path))


def test_export_of_unknown_assistant_is_a_clear_error(admin, tmp_path):
    with pytest.raises(CommandError, match="no assistant with slug or name 'ghost'"):
        call_command("export_assistant", "ghost", str(tmp_path / "x"))
