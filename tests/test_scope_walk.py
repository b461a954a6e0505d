"""The scope walk: every URL of the project, for every persona, leaks nothing out of scope.

The walk reads the URL map itself, so a new page or API endpoint is walked without anyone adding
it here. It fills URL kwargs by the naming convention (`school_id`, `municipality_id`,
`region_id`, `<model>_id` of a scoped model, `pk` of a scoped API viewset). A kwarg it cannot
fill, or a page whose capability is not declared in `PAGE_CAPABILITY`, fails the walk with a
message saying what to add — no page escapes silently.

For each persona it proves:
- an object out of the persona's scope answers 404 to GET and POST — and to PUT, PATCH and
  DELETE on API endpoints — (403 when the persona lacks the capability altogether, 405 when the
  method is not allowed) and the database is unchanged;
- an object in scope answers 200 to GET when the persona holds the page's capability;
- a page without kwargs never shows the name of a school, municipality or region out of scope,
  even when asked for it by id in the query string;
- an anonymous visitor gets nothing (a redirect to the login page, 401 or 403).
"""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest
from django.apps import apps
from django.contrib.sessions.models import Session
from django.db import connection
from django.db.models import Model
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from opora.accounts.policy import objects_for, registered_models, user_can
from opora.accounts.roles import Capability
from opora.api.scoping import ScopedGenericViewSet, scoped_model
from opora.support.sections import SECTIONS as SUPPORT_SECTIONS
from opora.territory.models import Municipality, Region, School
from tests.analysis.graph import analysis_graph
from tests.programs.graph import program_graph
from tests.support.graph import support_graph

ALL_CAPABILITIES = [
    value for name, value in vars(Capability).items() if name.isupper() and isinstance(value, str)
]

# URL names (or prefixes) the walk leaves out on purpose: the admin has its own permissions;
# the schema and docs describe the API without data; login/logout are the way in and out.
SKIPPED_NAMES = {"api-schema", "api-docs", "login", "logout"}
SKIPPED_PREFIXES = ("admin/", "static/", "media/")

# The capability each page needs; None = any signed-in user. API viewsets declare their own.
PAGE_CAPABILITY: dict[str, str | None] = {
    "home": None,
    "region-detail": Capability.TERRITORY_VIEW,
    "municipality-detail": Capability.TERRITORY_VIEW,
    "school-list": Capability.SCHOOL_VIEW,
    "school-card": Capability.SCHOOL_VIEW,
    "school-edit": Capability.SCHOOL_EDIT,
    "snapshot-edit": Capability.SCHOOL_EDIT,
    "history": Capability.AUDIT_VIEW,
    "registry-import": Capability.REGISTRY_IMPORT,
    "registry-template": Capability.REGISTRY_IMPORT,
    "programs:list": Capability.PROGRAM_VIEW,
    "programs:new": Capability.PROGRAM_EDIT,
    "programs:my-tasks": None,
    "programs:reporting": Capability.PROGRAM_VIEW,
    "programs:rollup": Capability.PROGRAM_VIEW,
    # Object pages of programs find the object with PROGRAM_VIEW and show it to anyone in scope;
    # their POST is refused (403) to those who may not change it (programs/permissions.py).
    **{
        f"programs:{name}": Capability.PROGRAM_VIEW
        for name in (
            "detail",
            "edit",
            "delete",
            "review",
            "reports",
            "targets",
            "budget",
            "track-new",
            "roadmap-xlsx",
            "roadmap-docx",
            "passport-docx",
            "import",
            "track-delete",
            "activity-new",
            "target-edit",
            "activity",
            "activity-edit",
            "activity-return",
            "activity-evidence",
            "evidence-download",
            "reporting-period",
        )
    },
    "support:overview": Capability.SUPPORT_VIEW,
    "support:pairs-agreement": Capability.SUPPORT_VIEW,
    "support:pairs-suggestions": Capability.SUPPORT_EDIT,
    # Support sections: lists and object pages need SUPPORT_VIEW (a POST needs the right over
    # the object's territory); «new» needs the right to edit (events: EVENT_EDIT).
    **{
        f"support:{slug}{suffix}": Capability.SUPPORT_VIEW
        for slug in SUPPORT_SECTIONS
        for suffix in ("", "-edit", "-delete")
    },
    **{
        f"support:{slug}-new": Capability.EVENT_EDIT
        if slug == "events"
        else Capability.SUPPORT_EDIT
        for slug in SUPPORT_SECTIONS
    },
    "results-home": Capability.TERRITORY_VIEW,
    "school-results": Capability.RESULTS_VIEW,
    "municipality-results": Capability.TERRITORY_VIEW,
    "region-results": Capability.TERRITORY_VIEW,
    "results-import": Capability.RESULTS_IMPORT,
    "results-import-progress": Capability.RESULTS_IMPORT,
    "results-import-history": Capability.RESULTS_IMPORT,
    "analysis:registry": Capability.ANALYSIS_VIEW,
    "analysis:objectivity": Capability.ANALYSIS_VIEW,
    "analysis:run": Capability.ANALYSIS_VIEW,
    "analysis:run-xlsx": Capability.ANALYSIS_VIEW,
    "analysis:run-csv": Capability.ANALYSIS_VIEW,
    "analysis:school-risks": Capability.ANALYSIS_VIEW,
    "analysis:school-objectivity": Capability.ANALYSIS_VIEW,
    "analysis:school-context": Capability.ANALYSIS_VIEW,
    "analysis:school-partners": Capability.ANALYSIS_VIEW,
    "analysis:methodologies": Capability.ANALYSIS_VIEW,
    "analysis:compare": Capability.METHODOLOGY_EDIT,
    "analysis:methodology": Capability.ANALYSIS_VIEW,
    "analysis:methodology-copy": Capability.METHODOLOGY_EDIT,
    "analysis:methodology-edit": Capability.METHODOLOGY_EDIT,
    "analysis:methodology-run": Capability.ANALYSIS_RUN,
    "analysis:methodology-approve": Capability.METHODOLOGY_APPROVE,
    "v1:api-root": None,
    "v1:api-token": None,
}

OBJECT_KWARGS: dict[str, type[Model]] = {
    "school_id": School,
    "municipality_id": Municipality,
    "region_id": Region,
}
VALUE_KWARGS: dict[str, Any] = {"year": 2024, "format": "json"}

# Form fields a malicious POST might carry; harmless for pages that expect others.
POST_DATA = {
    "short_name": "Взлом",
    "full_name": "Взлом",
    "name": "Взлом",
    "code": "zz-hack",
    "students_g1": "1",
    "teachers_total": "1",
}

ANONYMOUS_OK = {301, 302, 401, 403, 404, 405}


@dataclass(frozen=True)
class Route:
    """One URL pattern of the project, with its qualified name and kwarg names."""

    name: str
    route: str
    kwargs: tuple[str, ...]
    callback: Any

    @property
    def viewset(self) -> type[ScopedGenericViewSet] | None:
        cls = getattr(self.callback, "cls", None)
        return cls if isinstance(cls, type) and issubclass(cls, ScopedGenericViewSet) else None

    @property
    def capability(self) -> str | None:
        if self.viewset is not None:
            return self.viewset.capability
        if self.name not in PAGE_CAPABILITY:
            pytest.fail(
                f"URL {self.route!r} ({self.name}) is not in PAGE_CAPABILITY of "
                f"tests/test_scope_walk.py: add the capability the page requires (None = any "
                f"signed-in user) so that the scope walk can check it."
            )
        return PAGE_CAPABILITY[self.name]

    def model_of(self, kwarg: str) -> type[Model] | None:
        """The model whose id fills `kwarg`; None for a plain value kwarg; fails when unknown."""
        if kwarg in VALUE_KWARGS:
            return None
        if kwarg in OBJECT_KWARGS:
            return OBJECT_KWARGS[kwarg]
        if kwarg == "pk" and self.viewset is not None:
            return scoped_model(self.viewset)
        if kwarg.endswith("_id"):
            for model in registered_models():
                if model._meta.model_name == kwarg.removesuffix("_id").replace("_", ""):
                    return model
        pytest.fail(
            f"URL {self.route!r} ({self.name}) has kwarg {kwarg!r} the scope walk cannot fill. "
            f"Follow the convention <model>_id for a scoped model, or add a mapping to "
            f"OBJECT_KWARGS / VALUE_KWARGS in tests/test_scope_walk.py."
        )


def _kwarg_names(pattern: Any) -> tuple[str, ...]:
    regex = getattr(pattern, "regex", None)
    return tuple(regex.groupindex) if regex is not None else ()


def walk(
    patterns: list[Any], prefix: str = "", namespace: str = "", kwargs: tuple[str, ...] = ()
) -> Iterator[Route]:
    """Every URL pattern below `patterns`, with the namespace and kwargs of its parents."""
    for entry in patterns:
        route = prefix + str(entry.pattern)
        names = kwargs + _kwarg_names(entry.pattern)
        if isinstance(entry, URLResolver):
            inner = f"{namespace}:{entry.namespace}" if namespace else entry.namespace or ""
            if entry.namespace is None:
                inner = namespace
            yield from walk(entry.url_patterns, route, inner, names)
        elif isinstance(entry, URLPattern):
            name = f"{namespace}:{entry.name}" if namespace and entry.name else entry.name or ""
            yield Route(name=name, route=route, kwargs=names, callback=entry.callback)


def project_routes() -> list[Route]:
    """Every route the walk covers (the skipped ones left out)."""
    routes = []
    for route in walk(get_resolver().url_patterns):
        plain = route.route.lstrip("^")
        if plain.startswith(SKIPPED_PREFIXES) or route.name.split(":")[-1] in SKIPPED_NAMES:
            continue
        if not route.name:
            pytest.fail(
                f"URL {route.route!r} has no name: name it so the scope walk can reverse it."
            )
        routes.append(route)
    return routes


def db_fingerprint() -> list[tuple[Any, ...]]:
    """Row count and latest change time of every table (sessions aside), in one query."""
    quote = connection.ops.quote_name
    parts = []
    for model in apps.get_models():
        meta = model._meta
        if model is Session or meta.proxy or not meta.managed:
            continue
        has_updated = any(field.name == "updated_at" for field in meta.concrete_fields)
        latest = f"MAX({quote('updated_at')})" if has_updated else "NULL"
        parts.append(
            f"SELECT '{meta.label}', COUNT(*), CAST({latest} AS TEXT) FROM {quote(meta.db_table)}"
        )
    with connection.cursor() as cursor:
        cursor.execute(" UNION ALL ".join(parts))
        return sorted(cursor.fetchall())


def in_scope(user: Any, capability: str | None, model: type[Model]) -> set[int]:
    """Ids of `model` the user may reach with `capability` (with any capability when None)."""
    capabilities = [capability] if capability else ALL_CAPABILITIES
    ids: set[int] = set()
    for cap in capabilities:
        ids |= set(objects_for(user, cap, model).values_list("pk", flat=True))
    return ids


def body_text(response: Any) -> str:
    if response.get("Content-Type", "").startswith("application/json"):
        return json.dumps(response.json(), ensure_ascii=False)
    return response.content.decode(errors="replace")


def forbidden_names(user: Any) -> list[str]:
    """Names of schools, municipalities and regions out of the user's scope."""
    names: list[str] = []
    for model, attributes in (
        (School, ("short_name", "full_name")),
        (Municipality, ("name",)),
        (Region, ("name",)),
    ):
        visible = in_scope(user, None, model)
        for obj in model._default_manager.exclude(pk__in=visible):
            names.extend(getattr(obj, attribute) for attribute in attributes)
    return names


def _fill(route: Route, user: Any, target: str, obj_id: int) -> dict[str, Any] | None:
    """Kwargs with `target` = `obj_id` and the other object kwargs taken in the user's scope."""
    values: dict[str, Any] = {}
    for kwarg in route.kwargs:
        model = route.model_of(kwarg)
        if kwarg == target:
            values[kwarg] = obj_id
        elif model is None:
            values[kwarg] = VALUE_KWARGS[kwarg]
        else:
            reachable = sorted(in_scope(user, route.capability, model))
            if not reachable:
                return None
            values[kwarg] = reachable[0]
    return values


def send(client: Client, method: str, url: str) -> Any:
    """One request with `method`; writes carry `POST_DATA` (as a form, or JSON for PUT/PATCH)."""
    if method == "get":
        return client.get(url)
    if method == "post":
        return client.post(url, POST_DATA)
    body = json.dumps(POST_DATA)
    return getattr(client, method)(url, body, content_type="application/json")


def check_object_route(client: Client, user: Any, route: Route, problems: list[str]) -> None:
    capability = route.capability
    holds = user_can(user, capability) if capability else True
    object_kwargs = [kwarg for kwarg in route.kwargs if route.model_of(kwarg) is not None]
    # API endpoints may accept writes in JSON: try every verb on them.
    methods = ("get", "post", "put", "patch", "delete") if route.viewset else ("get", "post")
    before = db_fingerprint()
    for kwarg in object_kwargs:
        model = route.model_of(kwarg)
        assert model is not None
        visible = in_scope(user, capability, model)
        for obj in model._default_manager.order_by("pk"):
            values = _fill(route, user, kwarg, obj.pk)
            if values is None:
                continue
            url = reverse(route.name, kwargs=values)
            if obj.pk in visible:
                if holds and kwarg == object_kwargs[0]:
                    status = client.get(url).status_code
                    if status != 200:
                        problems.append(f"GET {url} in scope ({obj}) answered {status}, not 200")
                continue
            allowed = {404, 405} if holds else {403, 404, 405}
            for method in methods:
                response = send(client, method, url)
                if response.status_code not in allowed:
                    problems.append(
                        f"{method.upper()} {url} out of scope ({obj}) answered "
                        f"{response.status_code}, expected one of {sorted(allowed)}"
                    )
    if db_fingerprint() != before:
        problems.append(f"requests to {route.route} out of scope changed the database")


def check_list_route(client: Client, user: Any, route: Route, problems: list[str]) -> None:
    url = reverse(route.name, kwargs={k: VALUE_KWARGS[k] for k in route.kwargs})
    capability = route.capability
    forbidden = forbidden_names(user)
    queries = [""]
    for school in School.objects.exclude(pk__in=in_scope(user, None, School)):
        queries.append(
            f"?school={school.pk}&school_id={school.pk}&municipality={school.municipality_id}"
            f"&region={school.municipality.region_id}&search={school.code}"
        )
    # htmx requests may render a partial instead of the page: walk those too.
    requests = [(query, {}) for query in queries] + [
        (query, {"HTTP_HX_REQUEST": "true"}) for query in queries[:2]
    ]
    for query, headers in requests:
        response = client.get(url + query, **headers)
        expected_ok = query == "" and (capability is None or user_can(user, capability))
        if expected_ok and response.status_code not in (200, 405):
            problems.append(f"GET {url} answered {response.status_code}, not 200")
        if response.status_code == 200:
            text = body_text(response)
            leaked = [name for name in forbidden if name in text]
            if leaked:
                kind = " (htmx)" if headers else ""
                problems.append(f"GET{kind} {url + query} shows out-of-scope {leaked}")
    before = db_fingerprint()
    client.post(url, POST_DATA)
    if db_fingerprint() != before:
        problems.append(f"POST {url} with junk data changed the database")


PERSONAS = [
    "region",
    "resource",
    "monitoring",
    "municipality",
    "curator",
    "tutor",
    "school",
    "observer",
    "nobody",
]


def test_the_walk_covers_pages_and_api() -> None:
    names = {route.name for route in project_routes()}
    assert {"v1:school-list", "v1:school-detail", "v1:municipality-detail"} <= names
    assert {"home", "school-list", "school-card", "school-edit", "snapshot-edit"} <= names


@pytest.mark.parametrize("persona", PERSONAS)
def test_persona_reaches_nothing_out_of_scope(personas, territory, persona) -> None:
    program_graph(territory)
    support_graph(territory)
    analysis_graph(territory)
    user = personas[persona]
    client = Client()
    client.force_login(user)
    problems: list[str] = []
    for route in project_routes():
        if any(route.model_of(kwarg) for kwarg in route.kwargs):
            check_object_route(client, user, route, problems)
        else:
            check_list_route(client, user, route, problems)
    admin = client.get("/admin/")
    if admin.status_code != 302 or not admin["Location"].startswith("/admin/login/"):
        problems.append(f"/admin/ answered {admin.status_code} to a persona who is not staff")
    assert not problems, f"{persona}:\n" + "\n".join(problems)


def test_anonymous_reaches_nothing(territory) -> None:
    program_graph(territory)
    support_graph(territory)
    analysis_graph(territory)
    client = Client()
    problems: list[str] = []
    before = db_fingerprint()
    for route in project_routes():
        values = {
            kwarg: (VALUE_KWARGS[kwarg] if route.model_of(kwarg) is None else 0)
            for kwarg in route.kwargs
        }
        for kwarg in route.kwargs:
            model = route.model_of(kwarg)
            if model is not None:
                values[kwarg] = model._default_manager.order_by("pk").first().pk  # type: ignore[union-attr]
        url = reverse(route.name, kwargs=values)
        for method in ("get", "post"):
            response = getattr(client, method)(url, POST_DATA if method == "post" else None)
            if route.name == "v1:api-token" and method == "post":
                ok = response.status_code == 400
            else:
                ok = response.status_code in ANONYMOUS_OK
            if not ok:
                problems.append(f"anonymous {method.upper()} {url} answered {response.status_code}")
            if (
                response.status_code in (301, 302)
                and "/accounts/login/" not in response["Location"]
            ):
                problems.append(
                    f"anonymous {method.upper()} {url} redirected to {response['Location']}"
                )
    assert db_fingerprint() == before
    assert not problems, "\n".join(problems)


def test_fingerprint_notices_updates_and_new_rows(territory) -> None:
    before = db_fingerprint()
    School.objects.filter(pk=territory.c1.pk).update(updated_at=timezone.now())
    after_update = db_fingerprint()
    assert after_update != before
    Region.objects.create(code="97", name="Третья область")
    assert db_fingerprint() != after_update
