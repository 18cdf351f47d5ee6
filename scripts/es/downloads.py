"""Spanish for background work: prepared downloads (app/downloads, and the photo ZIP and portfolio files made
through it) and the daily digest job: merged into scripts/translate_es.py's TRANSLATIONS."""

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
}
