"""The Word (.docx) toolkit of the printed documents: the NĐ 30/2020 page (``page``), paragraphs
and runs (``text``), bordered tables (``tables``) and the blocks of an official document: the
heading with the national title, signatures, page numbers (``blocks``). It knows nothing of any
document: the layouts of ``eiso.reports.layouts`` are built from it."""
