"""An independent replayer for double-random draws, written from docs/SPEC.md (v2).

Every module names the SPEC section it implements. Nothing here is shared with the Rust
implementation: when the two agree byte for byte, the specification is complete.
"""

VERSION = "v2"


class InputError(Exception):
    """Bad input: a message naming the file, line and field. Never a crash."""

    def __init__(self, message, file=None, line=None, field=None):
        self.message = message
        self.file = file
        self.line = line
        self.field = field
        super().__init__(self.__str__())

    def __str__(self):
        where = []
        if self.file:
            where.append(str(self.file))
        if self.line is not None:
            where.append(f"line {self.line}")
        if self.field:
            where.append(f"field '{self.field}'")
        prefix = ", ".join(where)
        return f"{prefix}: {self.message}" if prefix else self.message

    def located(self, file=None, line=None, field=None):
        """Fill in whatever location the raiser did not know."""
        return InputError(
            self.message,
            self.file or file,
            self.line if self.line is not None else line,
            self.field or field,
        )


class DrawError(Exception):
    """The draw itself cannot be carried out (e.g. no complete team assignment exists)."""
