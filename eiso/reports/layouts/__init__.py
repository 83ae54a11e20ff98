"""The layouts of the printed documents: pure functions from the plain data of
``eiso.reports.content`` to the bytes of a .docx, .pdf or .xlsx file. No ORM, no request: they are
built from the toolkits (``eiso.reports.word``, ``eiso.reports.pdf``, ``eiso.reports.excel``)."""
