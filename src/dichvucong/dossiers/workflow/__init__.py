"""The dossier workflow in one place (DESIGN §4, STYLE §3): statuses, the transition table,
and `dossier_transition()`, the only function that changes a dossier's status."""
