/* The directory search (templates/directory/search.html): on a phone the results come first,
   so the filters fold unless one of them needs correcting. */
(function () {
  var panel = document.getElementById("filter-panel");
  if (panel && window.matchMedia("(max-width: 960px)").matches && !panel.querySelector(".field-has-error")) {
    panel.open = false;
  }
})();
