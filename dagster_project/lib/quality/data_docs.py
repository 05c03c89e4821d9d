"""Data Docs that open without the internet.

GX's Data Docs pages load jQuery, Bootstrap, Font Awesome, Vega and their kin from public
CDNs (code.jquery.com, unpkg.com, cdn.jsdelivr.net, ...), which a finance bureau's network
(and this project's machines) cannot reach: the pages then open unstyled, with script errors.
`make setup` fetches the same files once from the npm registry (pinned versions, checked
against the registry's sha512 integrity) into .tools/data-docs-assets/; each site written by
a build gets a copy under static/vendor/, and its pages are rewritten to load them from there.

`python -m dagster_project.lib.quality.data_docs` fetches what is missing.
"""

from __future__ import annotations

import base64
import hashlib
import io
import logging
import re
import shutil
import sys
import tarfile
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from ..paths import PROJECT_ROOT

ASSETS_DIR = PROJECT_ROOT / ".tools" / "data-docs-assets"
REGISTRY = "https://registry.npmjs.org"
log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Package:
    name: str
    version: str
    integrity: str  # the registry's dist.integrity of the tarball
    keep: tuple[str, ...]  # files or folders of the package the pages need

    @property
    def folder(self) -> str:
        return self.name.replace("/", "__")

    @property
    def tarball(self) -> str:
        return f"{REGISTRY}/{self.name}/-/{self.name.rsplit('/', 1)[-1]}-{self.version}.tgz"


PACKAGES = [
    Package(
        "jquery",
        "3.7.1",
        "sha512-m4avr8yL8kmFN8psrbFFFmB/If14iN5o9nw/NgnnM+kybDJpRsAynV2BsfpTYrTRysYUdADVD7CkUUizgkpLfg==",
        ("dist/jquery.min.js",),
    ),
    Package(
        "bootstrap",
        "4.3.1",
        "sha512-rXqOmH1VilAt2DyPzluTi2blhk17bO7ef+zLLPlWvG494pDxcM234pJ8wTc/6R40UWizAIIMgxjvxZg5kmsbag==",
        ("dist/css/bootstrap.min.css", "dist/js/bootstrap.min.js"),
    ),
    Package(
        "popper.js",
        "1.12.9",
        "sha512-s0EEi9xiSCdqz9lV4IiVH5yIZnDX/U1t0tCjB+0jXx9jW8lrR7kOpVupiUg175ogqVoudpDXHF1p6dKATCHMeg==",
        ("dist/umd/popper.min.js",),
    ),
    Package(
        "bootstrap-table",
        "1.19.1",
        "sha512-WvV+l1AI/C+zThaKmfHmi/IuayVNB0qdFyEhFx1jyZhO0oLtNJNANkCR3rvJf6Dkh72dsLElxpE/bzK9seEQLA==",
        (
            "dist/bootstrap-table.min.css",
            "dist/bootstrap-table.min.js",
            "dist/extensions/filter-control/bootstrap-table-filter-control.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
            "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
        ),
    ),
    Package(
        "bootstrap-datepicker",
        "1.9.0",
        "sha512-9rYYbaVOheGYxjOr/+bJCmRPihfy+LkLSg4fIFMT9Od8WwWB/MB50w0JO1eBgKUMbb7PFHQD5uAfI3ArAxZRXA==",
        ("dist/css/bootstrap-datepicker.min.css", "dist/js/bootstrap-datepicker.min.js"),
    ),
    Package(
        "@fortawesome/fontawesome-free",
        "6.6.0",
        "sha512-60G28ke/sXdtS9KZCpZSHHkCbdsOGEhIUGlwq6yhY74UpTiToIh8np7A8yphhM4BWsvNFtIvLpi4co+h9Mr9Ow==",
        ("css/all.min.css", "webfonts"),  # the stylesheet loads its fonts from ../webfonts/
    ),
    Package(
        "@forevolve/bootstrap-dark",
        "1.1.0",
        "sha512-A3ucpEpxPoTVO490lZZCfjPXxv832l7mm1IxX3bXyxvgwnPGXDLyh7dWrphXKO8YBAu3EswbBEu3VSW8NRMW3A==",
        ("dist/css/bootstrap-prefers-dark.css",),
    ),
    # The CDN serves the latest 5.x / 6.x: pinned here to the latest at the time of writing.
    Package(
        "vega",
        "5.33.1",
        "sha512-1fArfVDUqVbb5z8n+/nVQb+VNBzx8svY6CrsyTK4Ujm4yrd9I1auoKxBAPXLCavY1LcrbHUskQbGUP8gXOzyQw==",
        ("build/vega.min.js",),
    ),
    Package(
        "vega-lite",
        "5.23.0",
        "sha512-l4J6+AWE3DIjvovEoHl2LdtCUkfm4zs8Xxx7INwZEAv+XVb6kR6vIN1gt3t2gN2gs/y4DYTs/RPoTeYAuEg6mA==",
        ("build/vega-lite.min.js",),
    ),
    Package(
        "vega-embed",
        "6.29.0",
        "sha512-PmlshTLtLFLgWtF/b23T1OwX53AugJ9RZ3qPE2c01VFAbgt3/GSNI/etzA/GzdrkceXFma+FDHNXUppKuM0U6Q==",
        ("build/vega-embed.min.js",),
    ),
]
_BY_NAME = {package.name: package for package in PACKAGES}

# Each CDN address the pages load → the package file that replaces it.
REPLACEMENTS: dict[str, tuple[str, str]] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": ("jquery", "dist/jquery.min.js"),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap",
        "dist/css/bootstrap.min.css",
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": ("bootstrap", "dist/js/bootstrap.min.js"),
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js",
        "dist/umd/popper.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table",
        "dist/bootstrap-table.min.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table",
        "dist/bootstrap-table.min.js",
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/bootstrap-table-filter-control.min.js": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.js",
    ),
    # The pages ask for the filter-control stylesheet of 1.19.0 beside the 1.19.1 script: one
    # release's files serve both.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.css": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.css",
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/bootstrap-table-filter-control.min.css": (
        "bootstrap-table",
        "dist/extensions/filter-control/bootstrap-table-filter-control.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker",
        "dist/css/bootstrap-datepicker.min.css",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker",
        "dist/js/bootstrap-datepicker.min.js",
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "@fortawesome/fontawesome-free",
        "css/all.min.css",
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "@forevolve/bootstrap-dark",
        "dist/css/bootstrap-prefers-dark.css",
    ),
    "https://cdn.jsdelivr.net/npm/vega@5": ("vega", "build/vega.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-lite@5": ("vega-lite", "build/vega-lite.min.js"),
    "https://cdn.jsdelivr.net/npm/vega-embed@6": ("vega-embed", "build/vega-embed.min.js"),
}
# GX's logo, from its web assets bucket (a timestamp in the query); the site carries a copy.
_LOGO = re.compile(r"https://great-expectations-web-assets\.s3\.[a-z0-9-]+\.amazonaws\.com/logo-long\.png(\?[^\"']*)?")
# The site's own static files, as pages name them: GX counts one folder too few for a
# validation page whose suite name has a dot (reconciliation.cross_tables → two folders).
_SITE_STATIC = re.compile(r"""(href|src)=["'](?:\./|(?:\.\./)+)static/""")
# What a page loads by itself (scripts, stylesheets, images), as opposed to links a reader follows.
_LOADED_FROM_NETWORK = re.compile(r"""(?:src=|<link[^>]*href=)["'](https?://[^"']+)""")


def _verified(package: Package, content: bytes) -> bytes:
    algorithm, expected = package.integrity.split("-", 1)
    actual = base64.b64encode(hashlib.new(algorithm, content).digest()).decode()
    if actual != expected:
        raise RuntimeError(f"{package.tarball}: {algorithm} {actual} does not match the pinned {expected}")
    return content


def fetch(target: Path = ASSETS_DIR) -> list[str]:
    """Fetch the packages not yet in `target`; returns the ones fetched."""
    fetched = []
    for package in PACKAGES:
        folder = target / package.folder
        if (folder / ".complete").exists():
            continue
        with urllib.request.urlopen(package.tarball, timeout=60) as response:
            content = _verified(package, response.read())
        shutil.rmtree(folder, ignore_errors=True)
        with tarfile.open(fileobj=io.BytesIO(content), mode="r:gz") as archive:
            for member in archive.getmembers():
                path = member.name.split("/", 1)[-1]  # tarballs hold package/<path>
                if member.isfile() and any(path == keep or path.startswith(keep + "/") for keep in package.keep):
                    destination = folder / path
                    destination.parent.mkdir(parents=True, exist_ok=True)
                    extracted = archive.extractfile(member)
                    assert extracted is not None
                    destination.write_bytes(extracted.read())
        (folder / ".complete").write_text(f"{package.name}@{package.version}\n")
        fetched.append(f"{package.name}@{package.version}")
    return fetched


def localise(site: Path, assets: Path = ASSETS_DIR) -> list[str]:
    """Copy the assets into the site and point its pages at them, and at the site's own static
    files from wherever they sit. Returns the addresses pages
    still load from the network (none, unless the assets were never fetched or GX's pages
    name a file this module does not know)."""
    if all((assets / package.folder / ".complete").exists() for package in PACKAGES):
        shutil.copytree(assets, site / "static" / "vendor", ignore=shutil.ignore_patterns(".complete"))
        replacements = {
            url: f"static/vendor/{_BY_NAME[name].folder}/{path}" for url, (name, path) in REPLACEMENTS.items()
        }
    else:
        log.warning("Data Docs assets missing in %s (run `make setup`): the pages load them from CDNs", assets)
        replacements = {}
    remaining: set[str] = set()
    for page in site.rglob("*.html"):
        to_root = "../" * (len(page.relative_to(site).parts) - 1)
        text = page.read_text(encoding="utf-8")
        for url, local in replacements.items():
            text = text.replace(f'"{url}"', f'"{to_root}{local}"')
        text = _LOGO.sub(f"{to_root}static/images/logo-long.png", text)
        text = _SITE_STATIC.sub(rf'\1="{to_root}static/', text)
        page.write_text(text, encoding="utf-8")
        remaining.update(_LOADED_FROM_NETWORK.findall(text))
    return sorted(remaining)


if __name__ == "__main__":
    for name in fetch():
        sys.stdout.write(f"fetched {name} for the Data Docs\n")
