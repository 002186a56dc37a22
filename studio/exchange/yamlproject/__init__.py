"""Rasa Pro project files <-> studio content (flows are judged by the engine, through
studio.core.engine_judge; no Django).

read (directory, zip or mapping) -> ProjectFiles -> parse_project() -> ParsedProject
ProjectContent (+ original ProjectFiles) -> write_project() -> {path: bytes}
"""

from .content import ACTIONS, FLOWS, KINDS, RESPONSES, SLOTS, Item, ProjectContent
from .files import ProjectFile, ProjectFiles, build_zip, files_from_mapping, read_directory, read_zip
from .parse import ParsedProject, parse_project
from .problems import Problem, ProjectInvalid
from .references import rename
from .writer import default_path, write_project

__all__ = [
    "ACTIONS", "FLOWS", "KINDS", "RESPONSES", "SLOTS", "Item", "ParsedProject", "Problem",
    "ProjectContent", "ProjectFile", "ProjectFiles", "ProjectInvalid", "build_zip",
    "default_path", "files_from_mapping", "parse_project", "read_directory", "read_zip",
    "rename", "write_project",
]
