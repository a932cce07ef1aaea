/* The header on a phone (templates/base.html): the visitor's links, account, language and the
   portal's sections fold behind one "Menu" button, so the page starts near the top. Without
   this script every link stays in sight. Loaded right after the header: it runs before the
   first paint. */
(function () {
  var header = document.querySelector(".site-header");
  var toggle = header && header.querySelector(".menu-toggle");
  if (!toggle) {
    return;
  }
  header.classList.add("menu-collapsible");
  toggle.hidden = false;
  toggle.addEventListener("click", function () {
    var open = header.classList.toggle("menu-open");
    toggle.setAttribute("aria-expanded", open ? "true" : "false");
  });
})();
