// "Copy link to this view" (dashboard/share_link.py): the page's own address, read when the box
// comes into view, gets focus or is copied, so it holds what the map's and the timeline's
// fragments wrote into the URL since the last full run.

const CSS = `
.share-link { position: relative; display: flex; gap: 0.4rem; align-items: center; }
.share-link input {
  flex: 1 1 auto; min-width: 0; font: 0.8rem/1.4 "Source Code Pro", monospace; padding: 0.35rem 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); border-radius: 0.5rem; background: #f8f9fb; color: #31333f;
}
.share-link button {
  flex: none; font: inherit; font-size: 0.875rem; padding: 0.3rem 0.8rem; cursor: pointer; border-radius: 0.5rem;
  border: 1px solid rgba(49, 51, 63, 0.2); background: #fff; color: #31333f;
}
.share-link button:hover { border-color: #ff4b4b; color: #ff4b4b; }
/* one row at any width (a 48 px box): the outcome shows on the button, and is read out from here */
.share-link-status { position: absolute; width: 1px; height: 1px; overflow: hidden; clip-path: inset(50%); }
`;

// commas are fine in a query string: show them as the README writes links
const address = () => window.location.href.replace(/%2C/gi, ",");

function mount(parentElement) {
  const box = document.createElement("div");
  box.className = "share-link";
  box.innerHTML =
    '<style></style><input type="text" readonly aria-label="Link to this view" spellcheck="false">' +
    '<button type="button">Copy</button><span class="share-link-status" role="status" aria-live="polite"></span>';
  box.querySelector("style").textContent = CSS;
  parentElement.appendChild(box);
  const input = box.querySelector("input");
  const status = box.querySelector(".share-link-status");
  const button = box.querySelector("button");
  const say = (short, long) => { button.textContent = short; status.textContent = long; };
  const refresh = () => { input.value = address(); };
  // the popover opens: read the address again (a fragment may have changed it since)
  new IntersectionObserver((seen) => { if (seen.some((e) => e.isIntersecting)) refresh(); }).observe(input);
  input.addEventListener("focus", () => { refresh(); input.select(); });
  button.addEventListener("click", async () => {
    refresh();
    try {
      await navigator.clipboard.writeText(input.value);
      say("Copied", "Link copied");
    } catch {
      // no clipboard API (a plain-http host): select it and use the old copy command
      input.focus();
      input.select();
      if (document.execCommand("copy")) say("Copied", "Link copied");
      else say("Ctrl+C", "Link selected: press Ctrl+C (⌘C) to copy");
    }
  });
  return refresh;
}

export default function ({ parentElement }) {
  if (!parentElement.__shareRefresh) parentElement.__shareRefresh = mount(parentElement);
  parentElement.__shareRefresh();
}
