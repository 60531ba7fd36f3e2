"""The one error type of the spec build: a message that names the files at fault."""


class SpecBuildError(Exception):
    """The spec cannot be built as it stands; the message says where and why."""
