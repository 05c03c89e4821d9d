"""A PDF's pages, walked one by one so that a damaged page does not cost the others.

pdfplumber builds every page of a file at once and fails whole on one page whose bounding box
is no number or whose dictionary is broken. Here each page is built on its own: a page that
cannot be is reported, the others are read, and a file most of whose pages are damaged is
refused (readers/pdf.py).
"""

from __future__ import annotations

from collections.abc import Iterator

from .pdf_objects import page_objects

# A PDF most of whose pages read is kept, the damaged pages reported; below this share of
# readable pages the file is refused as damaged: what is left would misrepresent it.
READABLE_SHARE = 0.5


def _page_dictionaries(document) -> Iterator[tuple[int, dict]]:
    """The page tree's pages, depth first, with the attributes they inherit: pdfminer's own
    walk (PDFPage.create_pages), less the construction of each page, so that one page that
    cannot be built does not end the walk."""
    from pdfminer.pdfpage import PDFPage
    from pdfminer.pdftypes import dict_value, list_value
    from pdfminer.psparser import LIT

    visited: set[int] = set()

    def search(obj, parent: dict) -> Iterator[tuple[int, dict]]:
        objid = obj if isinstance(obj, int) else obj.objid
        properties = dict_value(document.getobj(objid) if isinstance(obj, int) else obj).copy()
        if objid in visited:
            return
        visited.add(objid)
        for key, value in parent.items():
            if key in PDFPage.INHERITABLE_ATTRS and key not in properties:
                properties[key] = value
        kind = properties.get("Type") or properties.get("type")
        if kind is LIT("Pages") and "Kids" in properties:
            for child in list_value(properties["Kids"]):
                yield from search(child, properties)
        elif kind is LIT("Page"):
            yield objid, properties

    found = False
    if "Pages" in document.catalog:
        for page in search(document.catalog["Pages"], document.catalog):
            found = True
            yield page
    if not found:  # no page tree, or one that leads nowhere: the page objects themselves, as pdfminer does
        for xref in document.xrefs:
            for objid in xref.get_objids():
                try:
                    obj = document.getobj(objid)
                except Exception:  # an object the cross-reference table names but the file lacks
                    continue
                if isinstance(obj, dict) and obj.get("Type") is LIT("Page"):
                    yield objid, obj


def walk_pages(pdf, pdfium_document=None) -> Iterator[tuple[int, object | None, str | None]]:
    """(number, page, None) for each page; (number, None, why) for a page that cannot be set
    up (a bounding box that is no number, a broken page dictionary). pdfplumber builds all its
    pages at once and fails whole on one such page; here the others are kept. A damaged page
    tree ends the walk: the pages after it cannot be found.

    With `pdfium_document` (the same file opened by PDFium, pdf_objects.py), a page's
    characters and rules are read by PDFium where it reads them as pdfminer would, and by
    pdfminer otherwise."""
    from pdfminer.pdfpage import PDFPage
    from pdfplumber.page import Page

    # pdfplumber's own list, filled as pages are built: whatever asks pdf.pages (closing the
    # file does) sees the pages that could be built, not a rebuild that fails on the damaged one
    built = pdf._pages = []
    number, doctop = 0, 0
    found = _page_dictionaries(pdf.doc)
    while True:
        number += 1
        try:
            objid, tree = next(found)
        except StopIteration:
            return
        except Exception as exc:  # pdfminer raises many kinds on a damaged page tree
            yield number, None, f"reading stopped at page {number} ({type(exc).__name__}: {exc})"
            return
        try:
            page = Page(pdf, PDFPage(pdf.doc, objid, tree, None), page_number=number, initial_doctop=doctop)
        except Exception as exc:
            yield number, None, f"page {number} cannot be read ({type(exc).__name__}: {exc})"
            continue
        if pdfium_document is not None:
            objects, _ = page_objects(pdfium_document, page)
            if objects is not None:
                page._objects = objects  # pdfplumber's cache of the page's objects: not parsed again
        built.append(page)
        doctop += page.height
        yield number, page, None


def close(pdf, pdfium_document=None) -> None:
    """Close the pages read and the file. pdfplumber's own close() flushes its page list and
    builds it again, which fails again on a damaged page and leaves the file open."""
    for page in getattr(pdf, "_pages", []):
        page.close()
    if not pdf.stream_is_external:
        pdf.stream.close()
    if pdfium_document is not None:
        pdfium_document.close()
