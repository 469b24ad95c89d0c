"""The top floor of the public site (公示平台, /gs/): the home page, the layout every public page
extends (portal/base.html: header, navigation, footer with the ledger's signed tree head), and the
mounting of every app's public pages. Each app declares its public pages and navigation entries in
`<app>/urls_public.py`, registered in `zhifa.common.registry.portal_pages` and found by
autodiscovery; this package reads that registry. Nothing imports it but zhifa/urls.py."""
