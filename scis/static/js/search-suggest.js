/* Search suggestions: fills the <datalist> of every search box that has a
   data-suggest URL with record titles and taxonomy names as the reader types.
   The browser shows the list natively (keyboard and screen-reader friendly);
   without JavaScript the boxes are plain search fields. */
(function () {
  "use strict";
  var DELAY = 180;
  document.querySelectorAll("input[data-suggest]").forEach(function (input) {
    var list = document.getElementById(input.getAttribute("list"));
    var timer = null;
    var last = "";
    if (!list) return;
    input.addEventListener("input", function () {
      clearTimeout(timer);
      timer = setTimeout(function () {
        var text = input.value.trim();
        if (text === last || text.length < 1) return;
        last = text;
        fetch(input.dataset.suggest + "?q=" + encodeURIComponent(text), {
          headers: { Accept: "application/json" },
        })
          .then(function (response) { return response.ok ? response.json() : { suggestions: [] }; })
          .then(function (data) {
            list.replaceChildren.apply(
              list,
              data.suggestions.map(function (item) {
                var option = document.createElement("option");
                option.value = item.label;
                return option;
              })
            );
          })
          .catch(function () { /* suggestions are optional */ });
      }, DELAY);
    });
  });
})();
