(function () {
  "use strict";
  var table = document.getElementById("buckets");
  var controls = document.getElementById("controls");
  var filter = document.getElementById("filter");
  var sort = document.getElementById("sort");
  var shown = document.getElementById("shown");
  if (!table || !controls || !filter || !sort || !shown || !table.tBodies.length) {
    return;
  }
  var body = table.tBodies[0];
  var rows = Array.prototype.slice.call(body.rows);
  function text(row, key) {
    return (row.getAttribute("data-" + key) || "").toLowerCase();
  }
  function rank(a, b) {
    return Number(a.getAttribute("data-rank")) - Number(b.getAttribute("data-rank"));
  }
  var orders = {
    count: rank,
    title: function (a, b) {
      return text(a, "title").localeCompare(text(b, "title")) || rank(a, b);
    },
    "class": function (a, b) {
      return text(a, "class").localeCompare(text(b, "class")) || rank(a, b);
    },
    last: function (a, b) {
      var x = text(a, "last"), y = text(b, "last");
      if (x === y) {
        return rank(a, b);
      }
      return x === "" ? 1 : y === "" ? -1 : x < y ? 1 : -1;
    }
  };
  function apply() {
    var order = orders[sort.value] || rank;
    var words = filter.value.toLowerCase().split(/\s+/).filter(Boolean);
    var visible = 0;
    rows.slice().sort(order).forEach(function (row) {
      var hay = row.textContent.toLowerCase();
      var match = words.every(function (w) { return hay.indexOf(w) >= 0; });
      row.hidden = !match;
      if (match) {
        visible++;
      }
      body.appendChild(row);
    });
    shown.textContent = visible === rows.length
        ? "all " + rows.length + " buckets"
        : visible + " of " + rows.length + " buckets";
  }
  filter.addEventListener("input", apply);
  sort.addEventListener("change", apply);
  controls.hidden = false;
  apply();
})();
