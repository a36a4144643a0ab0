"""Walks the URL resolver so that sweeps cover every route, including those added by later issues."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass

from django.urls import URLPattern, URLResolver, get_resolver


@dataclass(frozen=True)
class Route:
    name: str  # "namespace:name"
    pattern: str  # the full regex/route text, for messages
    params: tuple[str, ...]
    callback: object
    converters: tuple[object, ...] = ()

    def sample_kwargs(self) -> dict[str, object]:
        """Plausible values for every parameter (used where only the URL's shape matters)."""
        import uuid

        from django.urls.converters import IntConverter, UUIDConverter

        out: dict[str, object] = {}
        for name, conv in zip(self.params, self.converters, strict=True):
            if isinstance(conv, UUIDConverter):
                out[name] = uuid.uuid4()
            elif isinstance(conv, IntConverter):
                out[name] = 1
            else:
                out[name] = "people"
        return out

    def url_for(self, obj: object, **extra: object) -> str:
        """This route pointed at `obj` (by public_id when the route takes one, else by primary key); other
        parameters come from `extra`."""
        values = {p: (obj.public_id if p == "public_id" else obj.pk) for p in self.params if p not in extra}  # type: ignore[attr-defined]
        return self.url(**values, **extra)

    def url(self, **values: object) -> str:
        from django.urls import reverse

        return reverse(self.name, kwargs={p: values[p] for p in self.params})


def _walk(patterns, prefix: str = "", namespace: str = "") -> Iterator[Route]:  # type: ignore[no-untyped-def]
    for p in patterns:
        if isinstance(p, URLResolver):
            ns = namespace
            if p.namespace:
                ns = f"{namespace}:{p.namespace}" if namespace else p.namespace
            yield from _walk(p.url_patterns, prefix + str(p.pattern), ns)
        elif isinstance(p, URLPattern):
            full = prefix + str(p.pattern)
            name = p.name or ""
            qualified = f"{namespace}:{name}" if namespace and name else name
            converters = getattr(p.pattern, "converters", {})
            yield Route(qualified, full, tuple(converters.keys()), p.callback, tuple(converters.values()))


def all_routes() -> list[Route]:
    """Every routed view of the project (the Django admin and static files excluded)."""
    return [r for r in _walk(get_resolver().url_patterns) if not r.pattern.startswith("admin/")]
