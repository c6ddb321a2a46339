// The script that runs in the report page: it draws the three time charts with
// chart.js from the inlined data, shades and labels every fault window on each
// time axis, and makes the linearizability view interactive (tabs, hover and
// tap details). Plain browser JavaScript, kept as text; the page is its only user.

export const reportClientScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('report-data').textContent);
  var outcomeColors = { ok: '#1b9e77', fail: '#d62728', info: '#e6a100' };
  var kindColors = ['#1f77b4', '#9467bd', '#2ca02c', '#8c564b', '#e377c2', '#17becf', '#7f7f7f', '#bcbd22'];
  var pointStyles = ['circle', 'triangle', 'rect', 'rectRot', 'star', 'crossRot', 'cross'];
  var dashes = { ok: [], fail: [6, 3], info: [2, 2] };
  var kinds = [];
  data.scatter.series.concat(data.throughput).forEach(function (s) { if (kinds.indexOf(s.f) < 0) kinds.push(s.f); });
  kinds.sort();

  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;

  var faultPlugin = {
    id: 'faultWindows',
    beforeDatasetsDraw: function (chart) {
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.font = '10px sans-serif';
      data.windows.forEach(function (w, i) {
        var left = Math.max(area.left, x.getPixelForValue(w.startS));
        var right = Math.min(area.right, x.getPixelForValue(w.endS));
        if (right - left < 2) right = left + 2;
        ctx.fillStyle = w.healed ? 'rgba(214, 39, 40, 0.10)' : 'rgba(214, 39, 40, 0.18)';
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = '#8b1a1a';
        var label = w.fault + (w.targets.length ? ' ' + w.targets.join(',') : '') + (w.healed ? '' : ' (not healed)');
        ctx.fillText(label, left + 2, area.top + 10 + (i % 3) * 11, Math.max(40, area.right - left - 4));
      });
      data.phases.forEach(function (p) {
        var px = x.getPixelForValue(p.atS);
        if (px < area.left || px > area.right) return;
        ctx.strokeStyle = '#555';
        ctx.setLineDash([4, 3]);
        ctx.beginPath();
        ctx.moveTo(px, area.top);
        ctx.lineTo(px, area.bottom);
        ctx.stroke();
        ctx.fillStyle = '#333';
        ctx.fillText(p.name, px + 2, area.bottom - 4);
      });
      ctx.restore();
    }
  };

  function timeAxis() {
    return { type: 'linear', min: 0, max: Math.max(data.endS, data.bucketS), title: { display: true, text: 'time since start (s)' } };
  }

  function options(yAxis) {
    return {
      responsive: true,
      maintainAspectRatio: false,
      parsing: false,
      normalized: true,
      interaction: { mode: 'nearest', intersect: false, axis: 'x' },
      plugins: { legend: { position: 'bottom', labels: { boxWidth: 10, usePointStyle: true } } },
      scales: { x: timeAxis(), y: yAxis }
    };
  }

  function drawLatency(canvas) {
    var datasets = data.scatter.series.map(function (s) {
      var points = new Array(s.t.length);
      for (var i = 0; i < s.t.length; i++) points[i] = { x: s.t[i] / 1000, y: s.l[i] };
      return {
        label: s.f + ' ' + s.outcome, data: points, showLine: false,
        backgroundColor: outcomeColors[s.outcome], borderColor: outcomeColors[s.outcome],
        pointStyle: pointStyles[kinds.indexOf(s.f) % pointStyles.length],
        pointRadius: s.outcome === 'ok' ? 1.6 : 2.6, borderWidth: 0
      };
    });
    var opts = options({ type: 'logarithmic', title: { display: true, text: 'latency (ms, log)' } });
    opts.interaction = { mode: 'nearest', intersect: true };
    return new Chart(canvas, { type: 'scatter', data: { datasets: datasets }, options: opts, plugins: [faultPlugin] });
  }

  function bucketMid(i) { return data.bucketStartsS[i] + data.bucketS / 2; }

  function series(values) {
    var points = [];
    for (var i = 0; i < values.length; i++) points.push({ x: bucketMid(i), y: values[i] });
    return points;
  }

  function drawQuantiles(canvas) {
    var lines = [['p50', '#1f77b4'], ['p95', '#ff7f0e'], ['p99', '#d62728'], ['max', '#555555']];
    var datasets = lines.map(function (line) {
      return { label: line[0], data: series(data.quantiles[line[0]]), borderColor: line[1], backgroundColor: line[1], pointRadius: 0, borderWidth: 1.5, spanGaps: false };
    });
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options({ type: 'logarithmic', title: { display: true, text: 'latency of ok ops (ms, log)' } }), plugins: [faultPlugin] });
  }

  function drawThroughput(canvas) {
    var datasets = data.throughput.map(function (s) {
      var color = s.outcome === 'ok' ? kindColors[kinds.indexOf(s.f) % kindColors.length] : outcomeColors[s.outcome];
      return { label: s.f + ' ' + s.outcome, data: series(s.opsPerSec), borderColor: color, backgroundColor: color, borderDash: dashes[s.outcome], pointRadius: 0, borderWidth: 1.5 };
    });
    return new Chart(canvas, { type: 'line', data: { datasets: datasets }, options: options({ type: 'linear', beginAtZero: true, title: { display: true, text: 'completions per second' } }), plugins: [faultPlugin] });
  }

  var draw = { latency: drawLatency, quantiles: drawQuantiles, throughput: drawThroughput };
  document.querySelectorAll('canvas[data-chart]').forEach(function (canvas) { draw[canvas.getAttribute('data-chart')](canvas); });

  var tooltip = document.getElementById('lin-tooltip');
  function showTip(target, x, y) {
    if (!tooltip) return;
    tooltip.textContent = target.getAttribute('data-tip');
    tooltip.hidden = false;
    var width = tooltip.offsetWidth, height = tooltip.offsetHeight;
    tooltip.style.left = Math.max(4, Math.min(window.innerWidth - width - 4, x + 12)) + 'px';
    tooltip.style.top = Math.max(4, Math.min(window.innerHeight - height - 4, y + 12)) + 'px';
  }
  document.querySelectorAll('.lin-op').forEach(function (op) {
    op.addEventListener('mousemove', function (event) { showTip(op, event.clientX, event.clientY); });
    op.addEventListener('mouseleave', function () { if (tooltip) tooltip.hidden = true; });
    op.addEventListener('click', function () {
      var failure = op.closest('.lin-failure');
      var pinned = failure && failure.querySelector('.lin-pinned');
      if (pinned) { pinned.textContent = op.getAttribute('data-tip'); pinned.classList.add('has-op'); }
      failure.querySelectorAll('.lin-op.selected').forEach(function (other) { other.classList.remove('selected'); });
      op.classList.add('selected');
    });
  });
  document.querySelectorAll('.lin-tab').forEach(function (tab) {
    tab.addEventListener('click', function () {
      var failure = tab.closest('.lin-failure');
      failure.querySelectorAll('.lin-tab').forEach(function (other) {
        other.classList.toggle('active', other === tab);
        document.getElementById(other.getAttribute('data-target')).hidden = other !== tab;
      });
    });
  });
  window.reportReady = true;
})();
`;
