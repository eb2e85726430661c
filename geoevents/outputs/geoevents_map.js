/* geoevents map runtime: builds the event layers, popups, legend and date filter from the JSON
 * data block. All article text goes through textContent, never innerHTML, so nothing in the
 * data can execute. Only https URLs become links. */
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

  function shapeIcon(shape, fill, stroke, size) {
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
    node.setAttribute('fill', fill); node.setAttribute('stroke', stroke); node.setAttribute('stroke-width', '1.2');
    svg.appendChild(node);
    return svg;
  }

  var PRECISION = { day: 'exact day', week: 'within a week', month: 'within a month' };
  var GEO_PRECISION = { 1: '1 (the named town or site)', 2: '2 (near it / part of a district)', 3: '3 (region or country)' };

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
    cas.push(f.k === null || f.k === undefined ? 'killed: not reported' : 'killed: ' + f.k);
    cas.push(f.inj === null || f.inj === undefined ? 'injured: not reported' : 'injured: ' + f.inj);
    row('Casualties', cas.join(', '));
    row('Actor', f.a1 || 'unknown');
    row('Target', f.a2);
    row('Side (colour)', side.label);
    row('Geo precision', (GEO_PRECISION[f.gp] || f.gp) + (f.gr ? ' \u2014 ' + f.gr : ''));
    if (f.nl > 1) { row('Locations', 'one of ' + f.nl + ' places of event ' + f.id); } else { row('Event', f.id); }
    row('Notes', f.no);
    box.appendChild(tbl);
    (f.ev || []).forEach(function (q) { box.appendChild(el('blockquote', q, 'ge-evidence')); });
    if (f.src && f.src.length) {
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
    return box;
  }

  function legendControl(data, counts) {
    var ctl = L.control({ position: 'bottomright' });
    ctl.onAdd = function () {
      var div = el('div', null, 'ge-legend leaflet-bar');
      div.appendChild(el('div', 'Legend', 'ge-legend-title'));
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

  function dateControl(dates, apply) {
    var ctl = L.control({ position: 'bottomleft' });
    ctl.onAdd = function () {
      var div = el('div', null, 'ge-dates leaflet-bar');
      div.appendChild(el('div', 'Event date', 'ge-legend-title'));
      var lo = dayNumber(dates[0]), hi = dayNumber(dates[dates.length - 1]);
      var from = el('input'), to = el('input'), slider = el('input'), undated = el('input'), label = el('label');
      from.type = to.type = 'date';
      from.min = to.min = dates[0]; from.max = to.max = dates[dates.length - 1];
      from.value = dates[0]; to.value = dates[dates.length - 1];
      from.className = 'ge-from'; to.className = 'ge-to';
      slider.type = 'range'; slider.min = lo; slider.max = hi; slider.value = hi; slider.className = 'ge-slider';
      slider.title = 'Show events up to this date';
      undated.type = 'checkbox'; undated.checked = true; undated.className = 'ge-undated';
      label.appendChild(undated); label.appendChild(document.createTextNode(' include undated'));
      function run() { apply(from.value || null, to.value || null, undated.checked); }
      from.addEventListener('change', run);
      to.addEventListener('change', function () { slider.value = to.value ? dayNumber(to.value) : hi; run(); });
      slider.addEventListener('input', function () { to.value = isoOfDay(+slider.value); run(); });
      undated.addEventListener('change', run);
      var r1 = el('div'); r1.appendChild(el('span', 'from ')); r1.appendChild(from);
      var r2 = el('div'); r2.appendChild(el('span', 'to ')); r2.appendChild(to);
      div.appendChild(r1); div.appendChild(r2); div.appendChild(slider); div.appendChild(label);
      L.DomEvent.disableClickPropagation(div);
      L.DomEvent.disableScrollPropagation(div);
      return div;
    };
    return ctl;
  }

  window.geoeventsBuild = function (map, groups, dataId, attribution) {
    var data = JSON.parse(document.getElementById(dataId).textContent);
    var renderer = L.canvas({ padding: 0.5 });
    var markers = data.types.map(function () { return []; });
    var bounds = L.latLngBounds([]);
    var undatedCount = 0;
    data.features.forEach(function (f) {
      if (f.la === null || f.lo === null) { return; }
      var type = data.types[f.t], side = data.sides[f.side];
      var m = new ShapeMarker([f.la, f.lo], {
        renderer: renderer, shape: type.shape, radius: 5 + 9 * f.sz, color: type.stroke, weight: 1.2,
        fillColor: side.colour, fillOpacity: 0.85
      });
      m.feature = f;
      m.bindPopup(function () { return popupFor(f, data); }, { maxWidth: 380, className: 'ge-popup-wrap' });
      m.bindTooltip(function () { return el('span', (f.pn || f.rn || '') + (f.d ? ' \u00b7 ' + f.d : '')); });
      markers[f.t].push(m);
      bounds.extend(m.getLatLng());
      if (!f.d) { undatedCount += 1; }
    });
    function apply(from, to, withUndated) {
      markers.forEach(function (list, i) {
        var keep = list.filter(function (m) {
          var d = m.feature.d;
          if (!d) { return withUndated; }
          return (!from || d >= from) && (!to || d <= to);
        });
        groups[i].clearLayers();
        groups[i].addLayers(keep);
      });
    }
    apply(null, null, true);
    if (bounds.isValid()) { map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 }); }
    else { map.setView([30, 40], 4); }
    titleControl(data.title).addTo(map);
    legendControl(data, markers.map(function (l) { return l.length; })).addTo(map);
    var dates = data.features.map(function (f) { return f.d; }).filter(Boolean).sort();
    if (dates.length) { dateControl(dates, apply).addTo(map); }
    map.attributionControl.addAttribution(attribution);
    window.geoevents = {
      map: map, groups: groups, markers: markers, data: data, apply: apply,
      undated: undatedCount, ready: true, readyMs: performance.now()
    };
  };
}());
