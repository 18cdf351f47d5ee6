"""Spanish for the exports (app/exports): merged into scripts/translate_es.py's TRANSLATIONS."""

# ruff: noqa: E501
from __future__ import annotations

TRANSLATIONS: dict = {
    "%(kind)s of %(center)s (%(population)s), %(municipality)s, %(department)s, Honduras: evaluation of the working model, partnership agreement with the State, preliminary design, works and handover.": "%(kind)s del %(center)s (%(population)s), %(municipality)s, %(department)s, Honduras: evaluación del modelo de atención, convenio de asociación con el Estado, diseño preliminar, obras y entrega.",
    "Reception conditions against humanitarian standards": "Condiciones de recepción frente a las normas humanitarias",
    "Indicators computed from the approved site assessments of the center.": "Indicadores calculados a partir de las evaluaciones aprobadas del centro.",
    "Unit: %(unit)s. Standard: %(comparator)s %(value)s.": "Unidad: %(unit)s. Norma: %(comparator)s %(value)s.",
    "Center code": "Código del centro",
    "Population received": "Población atendida",
    "Administered by": "Administrado por",
    "Capacity (people)": "Capacidad (personas)",
    "Project code": "Código del proyecto",
    "DAC sectors (share)": "Sectores CAD (proporción)",
    "Order": "Orden",
    "Funder IATI identifier": "Identificador IATI del financiador",
    "Budgets": "Presupuestos",
    "Exports": "Exportaciones",
    "These files hold only the projects %(funder)s funds, and only the budget lines it funds.": "Estos archivos contienen solo los proyectos que financia %(funder)s y solo las líneas de presupuesto que financia.",
    "These files hold only the projects your organization funds.": "Estos archivos contienen solo los proyectos que financia su organización.",
    "These files hold every project of the portfolio.": "Estos archivos contienen todos los proyectos de la cartera.",
    "Nothing private goes out: no coordinates, no photos, no contact persons, no names, e-mails or phones of staff, no notes and no audit data.": "Nada privado sale: ni coordenadas, ni fotos, ni personas de contacto, ni nombres, correos o teléfonos del personal, ni notas, ni datos de auditoría.",
    "IATI activity XML": "XML de actividades IATI",
    "IATI standard 2.03, reported by IOM (XM-DAC-47066): one activity per project with its funders, status, dates, sectors, budgets, transactions and results against the standards.": "Estándar IATI 2.03, publicado por la OIM (XM-DAC-47066): una actividad por proyecto con sus financiadores, estado, fechas, sectores, presupuestos, transacciones y resultados frente a las normas.",
    "Portfolio (XML)": "Cartera (XML)",
    "Workbook": "Libro de cálculo",
    "One XLSX workbook with a sheet per table: centers, projects, phases, milestones, budgets and expenditures. Dates are dates and amounts are numbers, with their currency beside them.": "Un libro XLSX con una hoja por tabla: centros, proyectos, fases, hitos, presupuestos y gastos. Las fechas son fechas y los montos son números, con su moneda al lado.",
    "Portfolio (XLSX)": "Cartera (XLSX)",
    "CSV with HXL hashtags": "CSV con etiquetas HXL",
    "One CSV file per table, with English column names and HXL hashtags on the second row. The ZIP holds every table read at the same moment, so they agree with each other.": "Un archivo CSV por tabla, con nombres de columna en inglés y etiquetas HXL en la segunda fila. El ZIP contiene todas las tablas leídas en el mismo momento, de modo que concuerdan entre sí.",
    "All tables (ZIP)": "Todas las tablas (ZIP)",
    "IATI XML of one project": "XML IATI de un proyecto",
    "IATI XML": "XML IATI",
    "No projects to export.": "No hay proyectos para exportar.",
}
