"""Read an admin change form back as a browser would submit it (inputs, textareas, selects)."""

from html.parser import HTMLParser

SKIPPED_TYPES = {"submit", "button", "file", "image", "reset"}


class _FormReader(HTMLParser):
    def __init__(self, form_id: str):
        super().__init__(convert_charrefs=True)
        self.form_id = form_id
        self.inside = False
        self.data: dict[str, list[str]] = {}
        self.textarea: str | None = None
        self.select: str | None = None
        self.select_multiple = False
        self.options: list[tuple[str, bool]] = []
        self.text_fields: list[str] = []  # the object's own one-line or multi-line text fields

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form" and attrs.get("id") == self.form_id:
            self.inside = True
        if not self.inside:
            return
        name = attrs.get("name")
        if tag == "input" and name:
            kind = attrs.get("type", "text")
            if kind in SKIPPED_TYPES:
                return
            if kind in ("checkbox", "radio"):
                if "checked" in attrs:
                    self.data.setdefault(name, []).append(attrs.get("value", "on"))
                return
            self.data.setdefault(name, []).append(attrs.get("value") or "")
            if kind == "text" and "vTextField" in (attrs.get("class") or "") and "-" not in name:
                self.text_fields.append(name)
        elif tag == "textarea" and name:
            self.textarea = name
            self.data.setdefault(name, []).append("")
            if "-" not in name:
                self.text_fields.append(name)
        elif tag == "select" and name:
            self.select, self.select_multiple, self.options = name, "multiple" in attrs, []
        elif tag == "option" and self.select:
            self.options.append((attrs.get("value", ""), "selected" in attrs))

    def handle_data(self, data):
        if self.textarea:
            self.data[self.textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "form" and self.inside:
            self.inside = False
        elif tag == "textarea":
            if self.textarea:  # a browser drops the newline right after <textarea>
                value = self.data[self.textarea][-1]
                self.data[self.textarea][-1] = value[1:] if value.startswith("\n") else value
            self.textarea = None
        elif tag == "select" and self.select:
            chosen = [value for value, selected in self.options if selected]
            if not chosen and not self.select_multiple and self.options:
                chosen = [self.options[0][0]]
            self.data[self.select] = chosen
            self.select = None


def read_form(html: str, model_name: str) -> tuple[dict[str, list[str]], list[str]]:
    """The submitted data of the admin form ``<model_name>_form`` and its own text fields."""
    reader = _FormReader(f"{model_name}_form")
    reader.feed(html)
    assert reader.data, f"no form {model_name}_form in the page"
    return reader.data, reader.text_fields
