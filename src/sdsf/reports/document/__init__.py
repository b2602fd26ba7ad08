"""The schéma document and its siblings (annual review, territory fiche): a format-neutral
tree of blocks (:mod:`model`) rendered to DOCX, PDF, HTML and XLSX by one module per format."""
