from datetime import datetime

from ninja import Field, Schema

from studio.assistants.schemas import ObjectBody


class CaseOut(Schema):
    name: str
    line: int | None
    last_passed: bool | None  # in the latest full run; None when not run


class TestFileOut(Schema):
    __test__ = False

    path: str
    revision: str  # send it back when editing a case of this file; a changed file is a 409
    problem: str
    cases: list[CaseOut]


class CaseYamlOut(Schema):
    file: str
    name: str
    yaml: str
    revision: str


class CaseIn(ObjectBody):
    file: str = Field(..., max_length=500)
    name: str = Field(..., max_length=200)
    yaml: str = Field(..., max_length=200_000)
    revision: str = Field(..., max_length=64)


class RunIn(ObjectBody):
    generator: str = Field("", max_length=10)  # scripted or offline; empty: the one try-it uses
    file: str = Field("", max_length=500)  # empty: every stored test
    case: str = Field("", max_length=200)


class CaseResultOut(Schema):
    file: str
    name: str
    line: int | None
    passed: bool
    failures: str  # the runner's message, as `python -m engine test` prints it


class RunOut(Schema):
    id: int
    status: str  # queued, running, passed, failed or error
    generator: str
    file: str
    case: str
    passed: int
    total: int
    results: list[CaseResultOut]
    unreached: dict[str, list[str]]  # flow id -> steps no test reached (full runs)
    output: str
    error: str
    created_at: datetime
    finished_at: datetime | None


class GeneratedOut(Schema):
    path: str
    yaml: str
    skipped: list[str]


class ConversationTestIn(ObjectBody):
    name: str = Field(..., min_length=1, max_length=100)
