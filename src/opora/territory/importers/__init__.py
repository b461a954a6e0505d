"""Importers of the territory app: the school registry and its XLSX template.

Importing this module registers the `schools` template kind (`opora template schools FILE`).
"""

from opora.core.importing import TemplateKind, register_template
from opora.territory.importers.schools import SchoolImportResult, StatusCounts, import_schools
from opora.territory.importers.schools_format import build_schools_template

SCHOOLS_TEMPLATE = register_template(
    TemplateKind(
        key="schools",
        name="Реестр школ",
        description="Карточки школ, их муниципалитеты и населённые пункты, годовые срезы контекста",
        filename="opora-shablon-reestr-shkol.xlsx",
        build=build_schools_template,
    )
)

__all__ = [
    "SCHOOLS_TEMPLATE",
    "SchoolImportResult",
    "StatusCounts",
    "build_schools_template",
    "import_schools",
]
