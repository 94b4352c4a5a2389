"""Reading rendered pages as trees (django.test.html), not as strings."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from django.test.html import Element, parse_html


def page(response) -> Element:
    assert response.status_code == 200, response.status_code
    return parse_html(response.content.decode())


def walk(element: Element) -> Iterator[Element]:
    for child in element.children:
        if isinstance(child, Element):
            yield child
            yield from walk(child)


def attr(element: Element, name: str) -> str | None:
    return dict(element.attributes).get(name)


def find_all(root: Element, test: Callable[[Element], bool]) -> list[Element]:
    return [element for element in walk(root) if test(element)]


def by_id(root: Element, id_: str) -> Element:
    (found,) = find_all(root, lambda e: attr(e, "id") == id_)
    return found


def by_tag(root: Element, name: str) -> list[Element]:
    return find_all(root, lambda e: e.name == name)


def with_class(root: Element, name: str) -> list[Element]:
    return find_all(root, lambda e: name in (attr(e, "class") or "").split())


def text(element: Element | str) -> str:
    if isinstance(element, str):
        return element
    return "".join(text(child) for child in element.children)


def history_rows(root: Element) -> list[dict[str, str]]:
    """The change history table (includes/history.html) as dicts keyed by column heading."""
    (section,) = with_class(root, "history")
    headings = [text(th) for th in by_tag(by_tag(section, "thead")[0], "th")]
    return [
        dict(zip(headings, (text(td) for td in by_tag(tr, "td")), strict=True))
        for tr in by_tag(by_tag(section, "tbody")[0], "tr")
    ]
