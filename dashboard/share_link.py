"""The "Copy link to this view" box: the page's own address, read in the browser when shown.

The URL holds the whole view: the filters through widgets bound to it, and the map's centre,
zoom and layers and the timeline's range, which their fragments write when the user moves them.
A fragment's rerun does not redraw this box (it sits outside both fragments), so a link built
on the server at the last full run missed a later zoom, pan or layer switch. The browser's
address never does: the box reads ``window.location.href`` each time it comes into view, gets
focus or is copied. A v2 component runs in the page itself, so that is the app's address.
"""

from __future__ import annotations

import streamlit as st

_HTML = """
<div class="share-link">
  <input type="text" readonly aria-label="Link to this view" spellcheck="false">
  <button type="button">Copy</button>
  <span class="share-link-status" role="status" aria-live="polite"></span>
</div>
"""

_CSS = """
.share-link { display: flex; flex-wrap: wrap; gap: 0.4rem; align-items: center; }
.share-link input {
  flex: 1 1 16rem; min-width: 0; font: 0.8rem/1.4 "Source Code Pro", monospace; padding: 0.35rem 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: #f8f9fb; color: #31333f;
}
.share-link button {
  font: inherit; font-size: 0.875rem; padding: 0.3rem 0.8rem; cursor: pointer; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); background: #fff; color: #31333f;
}
.share-link button:hover { border-color: #ff4b4b; color: #ff4b4b; }
.share-link-status { font-size: 0.8rem; color: #555; }
"""

_JS = """
export default function ({ parentElement }) {
  const input = parentElement.querySelector(".share-link input");
  const button = parentElement.querySelector(".share-link button");
  const status = parentElement.querySelector(".share-link-status");
  // commas are fine in a query string: show them as the README writes links
  const refresh = () => { input.value = window.location.href.replace(/%2C/gi, ","); };
  refresh();
  if (input.dataset.wired) return;
  input.dataset.wired = "1";
  // the popover opens: read the address again (a fragment may have changed it since)
  new IntersectionObserver((seen) => { if (seen.some((e) => e.isIntersecting)) refresh(); }).observe(input);
  input.addEventListener("focus", () => { refresh(); input.select(); });
  button.addEventListener("click", async () => {
    refresh();
    try {
      await navigator.clipboard.writeText(input.value);
      status.textContent = "Copied";
    } catch {
      // no clipboard API (a plain-http host): select it and use the old copy command
      input.focus();
      input.select();
      status.textContent = document.execCommand("copy") ? "Copied" : "Selected: press Ctrl+C (⌘C) to copy";
    }
  });
}
"""

_component = st.components.v2.component("south_caucasus_share_link", html=_HTML, css=_CSS, js=_JS)


def share_link_box(key: str = "share_link") -> None:
    """The address of this view, with a Copy button."""
    _component(key=key, height=48)
