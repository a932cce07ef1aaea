// On a phone the admin lets wide inline tables (a record's status history, say) scroll sideways
// inside their group. A read-only table has nothing to focus, so keyboard users could not
// scroll it: such a group becomes a focusable region named after its heading.
"use strict";

function labelScrollableInlineGroups() {
  for (const group of document.querySelectorAll(".inline-group")) {
    const scrolls = group.scrollWidth > group.clientWidth;
    if (scrolls && !group.hasAttribute("tabindex")) {
      const heading = group.querySelector("h2");
      group.setAttribute("tabindex", "0");
      group.setAttribute("role", "region");
      if (heading) {
        group.setAttribute("aria-label", heading.textContent.trim());
      }
    }
  }
}

document.addEventListener("DOMContentLoaded", labelScrollableInlineGroups);
window.addEventListener("resize", labelScrollableInlineGroups);
