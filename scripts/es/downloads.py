"""Spanish for background work: prepared downloads (app/downloads, and the photo ZIP and portfolio files made
through it), the daily digest job and the copies of large photos: merged into scripts/translate_es.py's
TRANSLATIONS."""

# ruff: noqa: E501
from __future__ import annotations

TRANSLATIONS: dict = {
    "Photos (ZIP)": "Fotos (ZIP)",
    "Portfolio workbook (XLSX)": "Libro de la cartera (XLSX)",
    "Portfolio tables (CSV in a ZIP)": "Tablas de la cartera (CSV en un ZIP)",
    "Portfolio in IATI 2.03 XML": "Cartera en XML IATI 2.03",
    "You already have %(n)d files being prepared. Wait until one is ready, then ask again.": "Ya tiene %(n)d archivos en preparación. Espere a que uno esté listo y vuelva a pedirlo.",
    "This download has nothing to try again.": "Esta descarga no tiene nada que reintentar.",
    "This download no longer exists.": "Esta descarga ya no existe.",
    "The account that asked for this file is disabled.": "La cuenta que pidió este archivo está desactivada.",
    "The file is being prepared again.": "El archivo se está preparando de nuevo.",
    "My downloads": "Mis descargas",
    "Files prepared for you (photos, portfolio exports). Each is kept for %(days)d days, for you alone.": "Archivos preparados para usted (fotos, exportaciones de la cartera). Cada uno se guarda %(days)d días, solo para usted.",
    "Asked for": "Pedido el",
    "Kept until": "Disponible hasta",
    "Nothing prepared for you at the moment.": "Por ahora no hay nada preparado para usted.",
    "Download the file": "Descargar el archivo",
    "Items": "Elementos",
    "A whole-portfolio file is prepared in the background: you follow it on its page, and find it later under My downloads.": "Un archivo de toda la cartera se prepara en segundo plano: lo sigue en su página y luego lo encuentra en Mis descargas.",
    "None of the photos asked for may be downloaded any more.": "Ya no se puede descargar ninguna de las fotos pedidas.",
    "Photos of people without recorded consent never leave the app: nothing to download.": "Las fotos de personas sin consentimiento registrado nunca salen de la aplicación: no hay nada que descargar.",
    "SMTP_HOST is not configured: no digest sent.": "SMTP_HOST no está configurado: no se envió el resumen.",
    "Could not send through %(server)s: %(error)s": "No se pudo enviar por %(server)s: %(error)s",
    "Refused by the SMTP server: %(emails)s": "Rechazado por el servidor SMTP: %(emails)s",
    "The photo is still being prepared; ask again in a moment.": "La foto aún se está preparando; vuelva a pedirla en un momento.",
    "The photo could not be read; upload it again.": "No se pudo leer la foto; súbala de nuevo.",
    "Being prepared": "En preparación",
    "Could not be read": "No se pudo leer",
    "The photo of this job no longer exists.": "La foto de esta tarea ya no existe.",
    "This photo is still being prepared; it can be changed once it is ready.": "Esta foto aún se está preparando; podrá modificarse cuando esté lista.",
    "The selected photos are still being prepared. Ask again in a moment.": "Las fotos seleccionadas aún se están preparando. Vuelva a pedirlas en un momento.",
    "There is nothing to try again for this photo.": "No hay nada que reintentar para esta foto.",
    "The copies of this photo are being made again.": "Las copias de esta foto se están haciendo de nuevo.",
    "This photo is large: the copy shown here is being made in the background. Reload the page in a moment.": "Esta foto es grande: la copia que se muestra aquí se está haciendo en segundo plano. Recargue la página en un momento.",
    "This photo could not be read:": "No se pudo leer esta foto:",
    "It is not shown or sent anywhere. Delete it and upload it again.": "No se muestra ni se envía a ningún lugar. Elimínela y súbala de nuevo.",
    "Name the photos to put in the ZIP.": "Indique las fotos que irán en el ZIP.",
    "Only a ZIP of photos takes photo ids.": "Solo un ZIP de fotos lleva identificadores de fotos.",
    "This file is not ready yet: follow its status until it is.": "Este archivo aún no está listo: siga su estado hasta que lo esté.",
    "Not in reports, ZIPs or exports until its copies are made": "No aparece en informes, ZIP ni exportaciones hasta que sus copias estén hechas",
}
