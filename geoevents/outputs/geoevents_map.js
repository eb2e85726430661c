/* geoevents map runtime: builds the map, offline base and labels, event markers, popups, legend,
 * time slider, side list and search from the page's JSON blocks. All article text goes through
 * textContent, never innerHTML, so nothing in the data can execute. Only https URLs become links.
 * Nothing here is random: the same data draws the same map. */
(function () {
  'use strict';

  var ShapeMarker = L.CircleMarker.extend({
    // Canvas-drawn circle, diamond, square or triangle (circleMarker hit-testing is kept).
    _updatePath: function () {
      var r = this._renderer, shape = this.options.shape;
      if (!(r instanceof L.Canvas) || !shape || shape === 'circle') { return r._updateCircle(this); }
      if (!r._drawing || this._empty()) { return; }
      var p = this._point, ctx = r._ctx, s = Math.max(Math.round(this._radius), 1);
      ctx.beginPath();
      if (shape === 'diamond') {
        var d = s * 1.3;
        ctx.moveTo(p.x, p.y - d); ctx.lineTo(p.x + d, p.y); ctx.lineTo(p.x, p.y + d); ctx.lineTo(p.x - d, p.y);
      } else if (shape === 'square') {
        ctx.rect(p.x - s, p.y - s, 2 * s, 2 * s);
      } else {
        var t = s * 1.3;
        ctx.moveTo(p.x, p.y - t); ctx.lineTo(p.x + t, p.y + t * 0.8); ctx.lineTo(p.x - t, p.y + t * 0.8);
      }
      ctx.closePath();
      r._fillStroke(ctx, this);
    }
  });

  function el(tag, text, cls) {
    var e = document.createElement(tag);
    if (text !== undefined && text !== null) { e.textContent = String(text); }
    if (cls) { e.className = cls; }
    return e;
  }

  function safeUrl(u) {
    if (typeof u !== 'string' || !/^https:\/\//i.test(u)) { return null; }
    try {
      var parsed = new URL(u);
      return parsed.protocol === 'https:' ? parsed.href : null;
    } catch (e) { return null; }
  }

  function shapeIcon(shape, fill, stroke, size, dash) {
    var ns = 'http://www.w3.org/2000/svg', svg = document.createElementNS(ns, 'svg'), h = size / 2, node;
    svg.setAttribute('width', size); svg.setAttribute('height', size);
    if (shape === 'circle') {
      node = document.createElementNS(ns, 'circle');
      node.setAttribute('cx', h); node.setAttribute('cy', h); node.setAttribute('r', h - 1.5);
    } else {
      node = document.createElementNS(ns, 'polygon');
      var pts = shape === 'diamond' ? [[h, 1], [size - 1, h], [h, size - 1], [1, h]]
        : shape === 'square' ? [[2, 2], [size - 2, 2], [size - 2, size - 2], [2, size - 2]]
        : [[h, 1], [size - 1, size - 2], [1, size - 2]];
      node.setAttribute('points', pts.map(function (p) { return p.join(','); }).join(' '));
    }
    node.setAttribute('fill', fill); node.setAttribute('stroke', stroke); node.setAttribute('stroke-width', '1.4');
    if (dash) { node.setAttribute('stroke-dasharray', dash); }
    svg.appendChild(node);
    return svg;
  }

  var PRECISION = { day: 'exact day', week: 'within a week', month: 'within a month' };
  var GEO_PRECISION = {
    1: '1 (the named town or site)', 2: '2 (near it / part of a district: ring = uncertainty)',
    3: '3 (region or country: drawn hollow, not at a known spot)'
  };

  function placeOf(f) { return f.pn || f.rn || '(no place named)'; }

  function casualtyText(f) {
    var parts = [];
    if (f.k != null) { parts.push(f.k + ' killed'); }
    if (f.inj != null) { parts.push(f.inj + ' injured'); }
    return parts.join(', ');
  }

  function popupFor(f, data) {
    var type = data.types[f.t], side = data.sides[f.side];
    var box = el('div', null, 'ge-popup');
    box.appendChild(el('div', type.singular + (f.st ? ' \u2014 ' + f.st : ''), 'ge-popup-title'));
    var tbl = el('table'), body = el('tbody');
    tbl.appendChild(body);
    function row(k, v) {
      if (v === undefined || v === null || v === '') { return; }
      var tr = el('tr'); tr.appendChild(el('th', k)); tr.appendChild(el('td', v)); body.appendChild(tr);
    }
    row('Date', f.d ? f.d + (f.dp ? ' (' + (PRECISION[f.dp] || f.dp) + ')' : '') : 'unknown');
    var where = f.pn || '(no place named)';
    if (f.rel) { where = f.rel + ' ' + where; }
    row('Place (as written)', where);
    row('Resolved to', [f.rn, f.adm, f.cc].filter(Boolean).join(', ') || 'not located');
    var cas = [];
    cas.push(f.k == null ? 'killed: not reported' : 'killed: ' + f.k);
    cas.push(f.inj == null ? 'injured: not reported' : 'injured: ' + f.inj);
    row('Casualties', cas.join(', '));
    row('Actor', f.a1 || 'unknown');
    row('Target', f.a2);
    row('Side (colour)', side.label);
    row('Geo precision', (GEO_PRECISION[f.gp] || f.gp) + (f.gr ? ' \u2014 ' + f.gr : ''));
    if (f.nl > 1) { row('Locations', 'one of ' + f.nl + ' places of event ' + f.id); } else { row('Event', f.id); }
    row('Notes', f.no);
    box.appendChild(tbl);
    if (f.src && f.src.length) {  // sources before the quotes: always in view
      box.appendChild(el('div', 'Sources', 'ge-popup-sub'));
      var ul = el('ul', null, 'ge-sources');
      f.src.forEach(function (s) {
        var li = el('li'), url = safeUrl(s.u);
        var label = s.t || s.u || s.x || s.n || 'source';
        if (url) {
          var a = el('a', label); a.href = url; a.target = '_blank'; a.rel = 'noopener noreferrer nofollow';
          li.appendChild(a);
        } else {
          li.appendChild(el('span', label + (s.x && s.x !== label ? ' \u2014 ' + s.x : '')));
        }
        if (s.n && s.n !== label) { li.appendChild(el('span', ' (' + s.n + ')', 'ge-outlet')); }
        ul.appendChild(li);
      });
      box.appendChild(ul);
    }
    var ev = f.ev || [], nk = f.evk === undefined ? ev.length : f.evk;
    ev.slice(0, nk).forEach(function (q) { box.appendChild(el('blockquote', q, 'ge-evidence')); });
    if (ev.length > nk) {
      var more = el('details', null, 'ge-more');
      more.appendChild(el('summary', 'more (' + (ev.length - nk) + ' further sentence' + (ev.length - nk > 1 ? 's' : '') + ')'));
      ev.slice(nk).forEach(function (q) { more.appendChild(el('blockquote', q, 'ge-evidence')); });
      box.appendChild(more);
    }
    return box;
  }

  function legendControl(data, counts) {
    var ctl = L.control({ position: 'bottomleft' });
    ctl.onAdd = function () {
      var div = el('div', null, 'ge-legend leaflet-bar');
      var head = el('div', 'Legend \u25be', 'ge-legend-title ge-legend-toggle');
      head.title = 'Show or hide the legend';
      head.addEventListener('click', function () {
        div.classList.toggle('ge-collapsed');
        head.textContent = div.classList.contains('ge-collapsed') ? 'Legend \u25b8' : 'Legend \u25be';
      });
      div.appendChild(head);
      data.types.forEach(function (t, i) {
        var item = el('div', null, 'ge-legend-item');
        item.appendChild(shapeIcon(t.shape, '#ffffff', '#222222', 14));
        item.appendChild(el('span', ' ' + t.label + ' (' + counts[i] + ')'));
        div.appendChild(item);
      });
      data.sides.forEach(function (s) {
        var item = el('div', null, 'ge-legend-item');
        item.appendChild(shapeIcon('circle', s.colour, '#222222', 14));
        item.appendChild(el('span', ' ' + s.label));
        div.appendChild(item);
      });
      [['#8c8c8c', '#222222', null, 'exact place'], ['#8c8c8c', '#222222', '3,2', 'near / district (dashed ring)'],
        ['none', '#555555', '3,2', 'region or country only (hollow)']].forEach(function (p) {
        var item = el('div', null, 'ge-legend-item');
        item.appendChild(shapeIcon('circle', p[0], p[1], 14, p[2]));
        item.appendChild(el('span', ' ' + p[3]));
        div.appendChild(item);
      });
      div.appendChild(el('div', 'Size: killed + injured', 'ge-legend-note'));
      if (data.note) { div.appendChild(el('div', data.note, 'ge-legend-note')); }
      L.DomEvent.disableClickPropagation(div);
      return div;
    };
    return ctl;
  }

  function titleControl(text) {
    var ctl = L.control({ position: 'topleft' });
    ctl.onAdd = function () { return el('div', text, 'ge-title leaflet-bar'); };
    return ctl;
  }

  function dayNumber(iso) { return Math.round(Date.parse(iso + 'T00:00:00Z') / 86400000); }
  function isoOfDay(n) { return new Date(n * 86400000).toISOString().slice(0, 10); }

  // ---------------------------------------------------------------- offline base and labels
  var LABEL_MAX_ZOOM = { country: 8, sea: 9, region: 11, river: 13, lake: 13 };
  var CHAR_PX = { country: 9, region: 7, capital: 7, city: 6.8, sea: 6.5 };

  var POINT_KINDS = { capital: 1, city: 1, town: 1 };

  function labelLayer(map, rows) {
    // Capitals first, then country names (nudged up or down around them), then cities and
    // towns biggest first, then regions, rivers and lakes in the space left.
    var FIRST = { capital: 0, country: 1, sea: 2 };
    var ordered = rows.map(function (r, i) { return [r, i]; }).sort(function (a, b) {
      var ka = FIRST[a[0][3]] !== undefined ? FIRST[a[0][3]] : POINT_KINDS[a[0][3]] ? 3 : 4;
      var kb = FIRST[b[0][3]] !== undefined ? FIRST[b[0][3]] : POINT_KINDS[b[0][3]] ? 3 : 4;
      return ka - kb || a[1] - b[1];
    }).map(function (x) { return x[0]; });
    var layer = L.layerGroup(), made = {}, shownNow = {}, layouts = {};
    function layout(z) {
      // Greedy placement over the whole label set at zoom z, in pixel coordinates of that zoom:
      // panning does not change it, so it is computed once per zoom level (a 64 px grid keeps
      // the overlap test local) and labels do not jump as the map moves.
      if (layouts[z]) { return layouts[z]; }
      var grid = {}, out = [];
      function cells(b) {
        var keys = [];
        for (var gx = Math.floor(b[0] / 64); gx <= Math.floor(b[2] / 64); gx++) {
          for (var gy = Math.floor(b[1] / 64); gy <= Math.floor(b[3] / 64); gy++) { keys.push(gx + ':' + gy); }
        }
        return keys;
      }
      function free(b) {
        return cells(b).every(function (k) {
          return !(grid[k] || []).some(function (q) { return b[0] < q[2] && b[2] > q[0] && b[1] < q[3] && b[3] > q[1]; });
        });
      }
      for (var i = 0; i < ordered.length; i++) {
        var r = ordered[i], kind = r[3];
        if (r[4] > z || (LABEL_MAX_ZOOM[kind] !== undefined && z > LABEL_MAX_ZOOM[kind])) { continue; }
        var p = map.project([r[1], r[2]], z);
        var w = r[0].length * (CHAR_PX[kind] || 6.2) + 6, h = kind === 'country' ? 16 : 13;
        var shifts = POINT_KINDS[kind] ? [0] : [0, 16, -16, 32, -32];
        for (var k = 0; k < shifts.length; k++) {
          var b = [p.x - w / 2, p.y + shifts[k] - h / 2, p.x + w / 2, p.y + shifts[k] + h / 2];
          if (free(b)) {
            cells(b).forEach(function (key) { (grid[key] = grid[key] || []).push(b); });
            out.push([i, shifts[k], p]);
            break;
          }
        }
      }
      layouts[z] = out;
      return out;
    }
    function redraw() {
      // Label markers are made once and reused: a pan only adds and removes the difference.
      if (!map.hasLayer(layer)) { return; }
      var z = map.getZoom(), view = map.getPixelBounds().pad(0.5), want = {}, n = 0, placedAt = layout(z);
      for (var j = 0; j < placedAt.length && n < 450; j++) {
        var i = placedAt[j][0], dy = placedAt[j][1], p = placedAt[j][2], r = ordered[i];
        if (!view.contains(p)) { continue; }
        var at = dy ? map.unproject([p.x, p.y + dy], z) : L.latLng(r[1], r[2]);
        var mk = made[i];
        if (!mk) {
          mk = made[i] = L.marker(at, {
            pane: 'geLabels', interactive: false, keyboard: false,
            icon: L.divIcon({ html: el('span', r[0]), className: 'ge-label ge-label-' + r[3], iconSize: null })
          });
        } else if (!mk.getLatLng().equals(at)) { mk.setLatLng(at); }
        want[i] = mk;
        n += 1;
      }
      Object.keys(shownNow).forEach(function (key) { if (!want[key]) { layer.removeLayer(shownNow[key]); } });
      Object.keys(want).forEach(function (key) { if (!shownNow[key]) { layer.addLayer(want[key]); } });
      shownNow = want;
    }
    map.on('zoomend moveend', redraw);
    layer.on('add', function () { setTimeout(redraw, 0); });
    layer.redraw = redraw;
    return layer;
  }

  // ---------------------------------------------------------------- time control
  function timeControl(state, dates, counts, refresh) {
    var ctl = L.control({ position: 'bottomleft' });
    var lo = dayNumber(dates[0]), hi = dayNumber(dates[dates.length - 1]);
    var timer = null;
    ctl.onAdd = function () {
      var div = el('div', null, 'ge-time leaflet-bar');
      div.appendChild(el('div', 'Event date (bars: events per day)', 'ge-legend-title'));
      var hist = el('canvas', null, 'ge-hist');
      hist.width = 340; hist.height = 36;
      var slider = el('input'), from = el('input'), to = el('input'), play = el('button', '\u25b6 Play', 'ge-play');
      var undated = el('input'), label = el('label');
      from.type = to.type = 'date';
      from.min = to.min = dates[0]; from.max = to.max = dates[dates.length - 1];
      from.value = dates[0]; to.value = dates[dates.length - 1];
      from.className = 'ge-from'; to.className = 'ge-to';
      slider.type = 'range'; slider.min = lo; slider.max = hi; slider.value = hi; slider.className = 'ge-slider';
      slider.title = 'Show events up to this date';
      play.type = 'button';
      undated.type = 'checkbox'; undated.checked = true; undated.className = 'ge-undated';
      label.appendChild(undated); label.appendChild(document.createTextNode(' undated'));
      function drawHist() {
        var ctx = hist.getContext('2d'), span = hi - lo + 1, max = 1, f = dayNumber(from.value || dates[0]);
        var t = +slider.value;
        Object.keys(counts).forEach(function (k) { max = Math.max(max, counts[k]); });
        ctx.clearRect(0, 0, hist.width, hist.height);
        for (var d = lo; d <= hi; d++) {
          var c = counts[d] || 0;
          if (!c) { continue; }
          var x = Math.floor((d - lo) / span * hist.width), w = Math.max(1, Math.floor(hist.width / span));
          var bh = Math.max(2, Math.round(c / max * (hist.height - 2)));
          ctx.fillStyle = d >= f && d <= t ? '#1f5fbf' : '#c4ccd6';
          ctx.fillRect(x, hist.height - bh, w, bh);
        }
      }
      function run() {
        state.from = from.value || null; state.to = to.value || null; state.undated = undated.checked;
        drawHist(); refresh();
      }
      function stop() { if (timer) { clearInterval(timer); timer = null; } play.textContent = '\u25b6 Play'; }
      function step() {
        var next = +slider.value + Math.max(1, Math.ceil((hi - lo) / 40));
        if (next >= hi) { next = hi; stop(); }
        slider.value = next; to.value = isoOfDay(next); run();
      }
      play.addEventListener('click', function () {
        if (timer) { stop(); return; }
        if (+slider.value >= hi) { slider.value = dayNumber(from.value || dates[0]); to.value = isoOfDay(+slider.value); run(); }
        play.textContent = '\u275a\u275a Pause';
        timer = setInterval(step, 120);
      });
      from.addEventListener('change', run);
      to.addEventListener('change', function () { slider.value = to.value ? dayNumber(to.value) : hi; run(); });
      slider.addEventListener('input', function () { to.value = isoOfDay(+slider.value); run(); });
      undated.addEventListener('change', run);
      div.appendChild(hist); div.appendChild(slider);
      var r1 = el('div', null, 'ge-time-row');
      r1.appendChild(play); r1.appendChild(from); r1.appendChild(el('span', '\u2013')); r1.appendChild(to); r1.appendChild(label);
      div.appendChild(r1);
      drawHist();
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      ctl.playing = function () { return timer !== null; };
      return div;
    };
    return ctl;
  }

  // ---------------------------------------------------------------- side list and search
  function listControl(state, refresh) {
    var ctl = L.control({ position: 'topright' });
    ctl.onAdd = function () {
      var div = el('div', null, 'ge-panel leaflet-bar');
      var head = el('div', null, 'ge-time-row');
      head.appendChild(el('span', 'Events in view', 'ge-legend-title'));
      var toggle = el('button', 'hide', 'ge-toggle'); toggle.type = 'button';
      head.appendChild(toggle);
      var search = el('input', null, 'ge-search');
      search.type = 'search'; search.placeholder = 'Search places and actors';
      search.setAttribute('aria-label', 'Search places and actors');
      var count = el('div', '', 'ge-count'), list = el('ul', null, 'ge-list');
      div.appendChild(head); div.appendChild(search); div.appendChild(count); div.appendChild(list);
      search.addEventListener('input', function () { state.search = search.value.trim().toLowerCase(); refresh(); });
      toggle.addEventListener('click', function () {
        div.classList.toggle('ge-collapsed'); toggle.textContent = div.classList.contains('ge-collapsed') ? 'show' : 'hide';
      });
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      ctl.list = list; ctl.count = count;
      return div;
    };
    return ctl;
  }

  window.geoeventsBuild = function (mapId, dataId, baseId) {
    var t0 = performance.now(), timings = {};
    function mark(name) { timings[name] = Math.round(performance.now() - t0); }
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var base = JSON.parse(document.getElementById(baseId).textContent);
    var map = L.map(mapId, { minZoom: 2, maxZoom: 18, preferCanvas: true, zoomSnap: 1 });
    map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
    L.control.scale({ position: 'bottomright' }).addTo(map);
    map.createPane('geBase').style.zIndex = 250;
    map.createPane('geLabels').style.zIndex = 350;
    map.getPane('geLabels').style.pointerEvents = 'none';
    map.createPane('geRings').style.zIndex = 390;
    map.getPane('geRings').style.pointerEvents = 'none';
    var world = L.geoJSON(base.world, {
      pane: 'geBase', interactive: false, renderer: L.svg({ pane: 'geBase' }),
      style: { color: '#8d99a3', weight: 0.8, fillColor: '#f4f1ea', fillOpacity: 1 }
    });
    mark('parse');
    var labels = labelLayer(map, base.labels);
    var offline = L.layerGroup([world, labels]);
    var osm = L.tileLayer('https://{s}.tile.openstreetmap.org/{z}/{x}/{y}.png', {
      maxZoom: 19, attribution: '&copy; OpenStreetMap contributors'
    });
    offline.addTo(map);

    var renderer = L.canvas({ padding: 0.5 });
    var ringRenderer = L.canvas({ pane: 'geRings', padding: 0.5 });
    var cluster = L.markerClusterGroup({
      chunkedLoading: true, showCoverageOnHover: false, maxClusterRadius: 40, spiderfyOnMaxZoom: true,
      spiderfyDistanceMultiplier: 1.6,
      iconCreateFunction: function (c) {
        var d = el('div'), n = el('span', String(c.getChildCount()));
        d.appendChild(n);
        return L.divIcon({ html: d, className: 'marker-cluster ge-cluster', iconSize: L.point(36, 36) });
      }
    });
    var groups = data.types.map(function () { return L.layerGroup(); });  // layer-control handles per type
    var markers = data.types.map(function () { return []; });
    var all = [], bounds = L.latLngBounds([]), undatedCount = 0, dayCounts = {};
    data.features.forEach(function (f) {
      if (f.la == null || f.lo == null) { return; }
      var type = data.types[f.t], side = data.sides[f.side], hollow = f.gp === 3;
      var m = new ShapeMarker([f.la, f.lo], {
        renderer: renderer, shape: type.shape, radius: 5 + 9 * (f.sz || 0),
        color: hollow ? side.colour : type.stroke, weight: hollow ? 2.5 : 1.2,
        dashArray: hollow ? '4,3' : (f.gp === 2 ? '3,2' : null),  // near/district: dashed outline, ring from zoom 8
        fillColor: side.colour, fillOpacity: hollow ? 0.08 : 0.85
      });
      m.feature = f;  // popup and tooltip are bound on first use (10k bound popups cost load time)
      if (f.gp === 2) {
        var km = /(\d+(?:\.\d+)?)\s*km/.exec(f.rel || ''), radius = km ? Math.min(+km[1], 80) * 1000 : 15000;
        m.ring = L.circle([f.la, f.lo], {
          renderer: ringRenderer, radius: radius, color: side.colour, weight: 1.2, dashArray: '5,4',
          fill: true, fillOpacity: 0.06, interactive: false
        });
      }
      markers[f.t].push(m); all.push(m);
      bounds.extend(m.getLatLng());
      if (f.d) { var dn = dayNumber(f.d); dayCounts[dn] = (dayCounts[dn] || 0) + 1; } else { undatedCount += 1; }
    });
    mark('markers');
    all.forEach(function (m) {  // search text, built once
      var f = m.feature;
      m.haystack = [f.pn, f.rn, f.adm, f.cc, f.a1, f.a2, f.st, f.id].filter(Boolean).join(' \u0001 ').toLowerCase();
    });

    function bindOnce(m) {
      if (m._popup) { return; }
      var f = m.feature, size = map.getSize();
      m.bindPopup(function () { return popupFor(f, data); }, {
        maxWidth: Math.max(200, Math.min(360, size.x - 80)),
        // pan so the popup clears the side list (right) and the legend and time slider (bottom)
        maxHeight: Math.max(160, size.y - 340), className: 'ge-popup-wrap',
        autoPanPaddingTopLeft: [50, 20], autoPanPaddingBottomRight: [Math.min(330, size.x / 3), Math.min(300, size.y / 3)]
      });
      m.bindTooltip(function () {
        return el('span', placeOf(f) + (f.gp === 3 ? ' (region/country: place approximate)' : '') + (f.d ? ' \u00b7 ' + f.d : ''));
      });
    }
    ShapeMarker.include({
      openPopup: function (latlng) { bindOnce(this); return L.Layer.prototype.openPopup.call(this, latlng); }
    });
    cluster.on('click', function (e) {  // first click: bind, open, and keep the map from closing it
      if (e.layer instanceof ShapeMarker && !e.layer._popup) { L.DomEvent.stop(e); e.layer.openPopup(e.latlng); }
    });
    cluster.on('mouseover', function (e) {
      if (e.layer instanceof ShapeMarker && !e.layer._tooltip) { bindOnce(e.layer); e.layer.openTooltip(e.latlng); }
    });

    var state = { from: null, to: null, undated: true, search: '', types: data.types.map(function () { return true; }) };
    var shown = new Set(), rings = L.layerGroup().addTo(map), list = null, listTimer = null;

    function reveal(m, cb) {
      // Zoom just enough for the marker to leave its cluster, spiderfy it if it shares its spot
      // with others (at the zoom where that spot first stands alone, not at street level), then
      // call back. (markercluster's zoomToShowLayer expects icon markers, not canvas ones.)
      var c = m.__parent, spot = null, z;
      while (c && c._bounds && c._bounds.getNorthEast().equals(c._bounds.getSouthWest())) { spot = c; c = c.__parent; }
      if (spot) { z = spot._zoom; } else { z = m.__parent && m.__parent._zoom !== undefined ? m.__parent._zoom + 1 : map.getZoom(); }
      z = Math.min(Math.max(z, map.getZoom()), map.getMaxZoom());
      map.setView(m.getLatLng(), z, { animate: false });
      setTimeout(function () {
        var vp = cluster.getVisibleParent(m);
        if (vp && vp !== m && vp.spiderfy) { vp.spiderfy(); setTimeout(cb, 400); } else { cb(); }
      }, 300);
    }
    function passes(m) {
      var f = m.feature;
      if (!state.types[f.t]) { return false; }
      if (!f.d) { if (!state.undated) { return false; } }
      else if ((state.from && f.d < state.from) || (state.to && f.d > state.to)) { return false; }
      return !state.search || m.haystack.indexOf(state.search) !== -1;
    }
    var ringsOn = new Set();
    function drawRings() {  // uncertainty rings from zoom 8, only in view; adds/removes the difference
      var want = new Set();
      if (map.getZoom() >= 8) {
        var view = map.getBounds().pad(0.2);
        shown.forEach(function (m) { if (m.ring && view.contains(m.getLatLng())) { want.add(m.ring); } });
      }
      ringsOn.forEach(function (r) { if (!want.has(r)) { rings.removeLayer(r); } });
      want.forEach(function (r) { if (!ringsOn.has(r)) { rings.addLayer(r); } });
      ringsOn = want;
    }
    function drawList() {
      if (!list || !list.list) { return; }
      var view = map.getBounds(), rows = [], apart = [];
      shown.forEach(function (m) {
        if (!view.contains(m.getLatLng())) { return; }
        (m.feature.gp === 3 ? apart : rows).push(m);
      });
      function byDate(a, b) {
        var da = a.feature.d || '', db = b.feature.d || '';
        return da < db ? 1 : da > db ? -1 : (a.feature.id < b.feature.id ? -1 : a.feature.id > b.feature.id ? 1 : a.feature.li - b.feature.li);
      }
      rows.sort(byDate); apart.sort(byDate);
      var ul = list.list, limit = 200;
      ul.textContent = '';
      list.count.textContent = (rows.length + apart.length) + ' of ' + all.length + ' shown' +
        (apart.length ? ' (' + apart.length + ' placed only at region/country level, listed last)' : '');
      rows.concat(apart).slice(0, limit).forEach(function (m) {
        var f = m.feature, li = el('li', null, 'ge-row' + (f.gp === 3 ? ' ge-row-apart' : ''));
        li.tabIndex = 0;
        li.appendChild(el('span', f.d || 'undated', 'ge-row-date'));
        li.appendChild(el('span', (f.gp === 3 ? '\u2248 ' : '') + placeOf(f), 'ge-row-place'));
        var cas = casualtyText(f);
        li.appendChild(el('span', data.types[f.t].singular + (f.st ? ' (' + f.st + ')' : '') + (cas ? ' \u00b7 ' + cas : ''), 'ge-row-meta'));
        function go() { reveal(m, function () { m.openPopup(); }); }
        li.addEventListener('click', go);
        li.addEventListener('keydown', function (e) { if (e.key === 'Enter') { go(); } });
        li.marker = m;
        ul.appendChild(li);
      });
      if (rows.length + apart.length > limit) {
        ul.appendChild(el('li', '\u2026 ' + (rows.length + apart.length - limit) + ' more: zoom in, search or narrow the dates', 'ge-count'));
      }
    }
    function scheduleList() { if (listTimer) { clearTimeout(listTimer); } listTimer = setTimeout(function () { listTimer = null; drawList(); }, 60); }
    function refresh() {
      var add = [], remove = [];
      all.forEach(function (m) {
        var keep = passes(m);
        if (keep && !shown.has(m)) { add.push(m); shown.add(m); } else if (!keep && shown.has(m)) { remove.push(m); shown.delete(m); }
      });
      if (remove.length) { cluster.removeLayers(remove); }
      if (add.length) { cluster.addLayers(add); }
      drawRings();
      scheduleList();
    }
    function apply(from, to, withUndated) {
      state.from = from; state.to = to; state.undated = withUndated; refresh();
    }

    mark('haystack');
    cluster.addTo(map);
    groups.forEach(function (g) { g.addTo(map); });
    map.on('overlayadd overlayremove', function (e) {
      var i = groups.indexOf(e.layer);
      if (i !== -1) { state.types[i] = e.type === 'overlayadd'; refresh(); }
    });
    map.on('zoomend', drawRings);
    map.on('moveend', function () { drawRings(); scheduleList(); });
    if (bounds.isValid()) {  // keep events clear of the side list (right) and the legend (bottom left)
      map.fitBounds(bounds, { paddingTopLeft: [60, 60], paddingBottomRight: [330, 60], maxZoom: 7 });
    } else { map.setView([33, 42], 5); }
    titleControl(data.title).addTo(map);
    var overlays = {};
    data.types.forEach(function (t, i) { overlays[t.label] = groups[i]; });
    L.control.layers({ 'Countries and places (offline)': offline, 'OpenStreetMap (online)': osm }, overlays,
      { collapsed: false, position: 'topright' }).addTo(map);
    mark('fit');
    list = listControl(state, refresh).addTo(map);
    refresh();
    mark('cluster');
    drawList();
    mark('list');
    var dates = data.features.map(function (f) { return f.d; }).filter(Boolean).sort();
    var time = null;
    if (dates.length) { time = timeControl(state, dates, dayCounts, refresh).addTo(map); }
    legendControl(data, markers.map(function (l) { return l.length; })).addTo(map);  // above the slider
    map.attributionControl.addAttribution(base.attribution);
    mark('controls');
    labels.redraw();
    mark('labels');
    window.geoevents = {
      map: map, cluster: cluster, groups: groups, markers: markers, data: data, apply: apply, state: state,
      refresh: refresh, reveal: reveal, labels: labels, rings: rings, time: time, list: list,
      shownCounts: function () {
        var c = data.types.map(function () { return 0; });
        shown.forEach(function (m) { c[m.feature.t] += 1; });
        return c;
      },
      undated: undatedCount, timings: timings, ready: true, readyMs: performance.now()
    };
  };
}());
