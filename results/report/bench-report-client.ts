// The script of the bench report page: it draws the latency-throughput curve
// (log latency axis, a star at each sweep's saturation point) and every
// point's throughput and latency over time with its fault windows shaded.
// Plain browser JavaScript, kept as text; the page is its only user.

export const benchReportScript = String.raw`
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('bench-data').textContent);
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd'];
  Chart.defaults.animation = false;
  Chart.defaults.font.size = 11;
  var ms = function (us) { return us === null ? null : us / 1000; };

  var curve = document.querySelector('canvas[data-chart="curve"]');
  var curveSets = [];
  data.curves.forEach(function (c, t) {
    [['p50', 'p50Us', []], ['p99', 'p99Us', [6, 3]], ['p99.9', 'p999Us', [2, 2]]].forEach(function (q) {
      curveSets.push({
        label: c.target + ' ' + q[0], borderColor: colors[t % colors.length], backgroundColor: colors[t % colors.length],
        borderDash: q[2], showLine: true, fill: false,
        pointStyle: c.points.map(function (_, i) { return i === c.saturation ? 'star' : 'circle'; }),
        pointRadius: c.points.map(function (_, i) { return i === c.saturation ? 9 : 3; }),
        data: c.points.map(function (p) { return { x: p.goodput, y: ms(p[q[1]]), label: p.label }; })
      });
    });
  });
  new Chart(curve, {
    type: 'scatter', data: { datasets: curveSets },
    options: { maintainAspectRatio: false, scales: {
      x: { title: { display: true, text: 'achieved goodput (ok operations/s)' } },
      y: { type: 'logarithmic', title: { display: true, text: 'latency (ms)' } } },
      plugins: { tooltip: { callbacks: { label: function (ctx) {
        return ctx.dataset.label + ' ' + ctx.raw.label + ': ' + ctx.raw.x.toFixed(0) + '/s, ' + ctx.raw.y + ' ms'; } } } } }
  });

  var faultPlugin = {
    id: 'benchFaults',
    beforeDatasetsDraw: function (chart) {
      var windows = chart.options.plugins.benchFaults.windows;
      var x = chart.scales.x, area = chart.chartArea, ctx = chart.ctx;
      ctx.save();
      ctx.font = '10px sans-serif';
      windows.forEach(function (w, i) {
        var left = Math.max(area.left, x.getPixelForValue(w.startS));
        var right = Math.min(area.right, x.getPixelForValue(w.endS));
        if (right - left < 2) right = left + 2;
        ctx.fillStyle = 'rgba(214, 39, 40, 0.15)';
        ctx.fillRect(left, area.top, right - left, area.bottom - area.top);
        ctx.fillStyle = '#8b1a1a';
        ctx.fillText(w.fault, left + 2, area.top + 10 + (i % 3) * 11);
      });
      ctx.restore();
    }
  };

  document.querySelectorAll('canvas[data-chart="timeline"]').forEach(function (canvas) {
    var entry = data.timelines[Number(canvas.dataset.target)][Number(canvas.dataset.point)];
    if (!entry.timeline) return;
    var tl = entry.timeline;
    var xs = function (values, scale) { return values.map(function (v, i) { return { x: i + 0.5, y: scale ? scale(v) : v }; }); };
    new Chart(canvas, {
      type: 'line',
      data: { datasets: [
        { label: 'ok/s', yAxisID: 'rate', borderColor: '#1b9e77', data: xs(tl.okPerSec) },
        { label: 'errors/s', yAxisID: 'rate', borderColor: '#e6a100', data: xs(tl.errorsPerSec) },
        { label: 'p50 ms', yAxisID: 'lat', borderColor: '#1f77b4', borderDash: [4, 2], data: xs(tl.p50Us, ms) },
        { label: 'p99 ms', yAxisID: 'lat', borderColor: '#d62728', borderDash: [4, 2], data: xs(tl.p99Us, ms) }
      ] },
      options: { maintainAspectRatio: false, parsing: false,
        plugins: { title: { display: true, text: entry.label }, benchFaults: { windows: entry.windows } },
        scales: { x: { type: 'linear', title: { display: true, text: 'seconds into the point' } },
          rate: { position: 'left', title: { display: true, text: 'operations/s' } },
          lat: { position: 'right', type: 'logarithmic', title: { display: true, text: 'latency (ms)' }, grid: { drawOnChartArea: false } } } },
      plugins: [faultPlugin]
    });
  });
  // The page's browser test waits for this before it counts painted pixels.
  window.reportReady = true;
})();
`;
