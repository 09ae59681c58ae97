// Signpost's optional map (see crates/web/src/map.rs). Only pages of a site with a tile
// server configured load this. It draws the tiles around the venues the page lists into the
// empty map box, with a numbered marker per venue that links to the venue in the list, and
// puts the same number beside the list entry. No library: Web Mercator tile maths. Without
// it the list and its OpenStreetMap links are the whole page, which is why the box starts
// hidden.
(function () {
  "use strict";
  var box = document.querySelector("[data-map-tiles]");
  if (!box) return;
  var TILE = 256, MAX_ZOOM = 15, PAD = 28;
  var points = [];
  var listed = document.querySelectorAll("[data-lat][data-lon]");
  for (var i = 0; i < listed.length; i++) {
    var lat = parseFloat(listed[i].getAttribute("data-lat"));
    var lon = parseFloat(listed[i].getAttribute("data-lon"));
    if (Math.abs(lat) < 85 && Math.abs(lon) <= 180) points.push({ el: listed[i], lat: lat, lon: lon });
  }
  if (!points.length) return;

  // Where a point falls, in pixels of the whole world drawn at zoom z.
  function pixel(p, z) {
    var size = TILE * Math.pow(2, z), s = Math.sin(p.lat * Math.PI / 180);
    return {
      x: (p.lon + 180) / 360 * size,
      y: (0.5 - Math.log((1 + s) / (1 - s)) / (4 * Math.PI)) * size
    };
  }
  function bounds(z) {
    var b = { x0: Infinity, y0: Infinity, x1: -Infinity, y1: -Infinity };
    points.forEach(function (p) {
      var q = pixel(p, z);
      b.x0 = Math.min(b.x0, q.x); b.x1 = Math.max(b.x1, q.x);
      b.y0 = Math.min(b.y0, q.y); b.y1 = Math.max(b.y1, q.y);
    });
    return b;
  }

  box.hidden = false;
  var w = box.clientWidth, h = box.clientHeight;
  // The closest zoom at which every venue fits in the box.
  var z = MAX_ZOOM, b = bounds(z);
  while (z > 0 && (b.x1 - b.x0 > w - 2 * PAD || b.y1 - b.y0 > h - 2 * PAD)) b = bounds(--z);
  var left = Math.round((b.x0 + b.x1 - w) / 2), top = Math.round((b.y0 + b.y1 - h) / 2);
  var n = Math.pow(2, z), template = box.getAttribute("data-map-tiles");
  var drawn = document.createDocumentFragment();
  for (var ty = Math.floor(top / TILE); ty * TILE < top + h; ty++) {
    if (ty < 0 || ty >= n) continue;
    for (var tx = Math.floor(left / TILE); tx * TILE < left + w; tx++) {
      var img = document.createElement("img");
      img.alt = "";
      img.width = img.height = TILE;
      img.src = template.replace("{z}", z).replace("{x}", ((tx % n) + n) % n).replace("{y}", ty);
      img.style.left = tx * TILE - left + "px";
      img.style.top = ty * TILE - top + "px";
      drawn.appendChild(img);
    }
  }
  points.forEach(function (p, i) {
    var at = pixel(p, z), number = String(i + 1);
    var heading = p.el.querySelector("h2, h3, strong") || p.el;
    if (!p.el.id) p.el.id = "on-map-" + number;
    var marker = document.createElement("a");
    marker.className = "marker";
    marker.href = "#" + p.el.id;
    marker.textContent = number;
    marker.setAttribute("aria-label", number + ": " + heading.textContent.trim());
    marker.style.left = at.x - left + "px";
    marker.style.top = at.y - top + "px";
    drawn.appendChild(marker);
    var tag = document.createElement("span");
    tag.className = "map-number";
    tag.textContent = number;
    heading.insertBefore(tag, heading.firstChild);
  });
  var credit = document.createElement("p"), osm = document.createElement("a");
  credit.className = "map-credit";
  osm.href = "https://www.openstreetmap.org/copyright";
  osm.textContent = "OpenStreetMap contributors";
  credit.appendChild(document.createTextNode("Map data \u00a9 "));
  credit.appendChild(osm);
  drawn.appendChild(credit);
  box.appendChild(drawn);
  // Where the map is below the list, the link to it.
  var links = document.querySelectorAll(".map-link");
  for (var k = 0; k < links.length; k++) links[k].hidden = false;
})();
