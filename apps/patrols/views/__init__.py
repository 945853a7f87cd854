"""Pages of the patrols app: office pages (coverage, findings, templates) and the phone PWA (/m/)."""
