// Injected into the page by html_render.sh before the headless render:
// measures what the browser laid out and writes one line per worker
// track into <pre id="render-check">, which --dump-dom then shows.
window.addEventListener('load', function () {
  var out = [];
  var view = document.documentElement.getBoundingClientRect();
  document.querySelectorAll('svg.timeline g.track').forEach(function (g) {
    var r = g.getBoundingClientRect();
    var label = g.querySelector('text.label');
    var lr = label.getBoundingClientRect();
    var shown = 0;
    g.querySelectorAll('rect.slice').forEach(function (s) {
      var b = s.getBoundingClientRect();
      if (b.width > 0 && b.height > 0 && b.left >= r.left - 1 && b.right <= r.right + 1)
        shown++;
    });
    out.push('track tid=' + g.getAttribute('data-tid') +
             ' label=' + JSON.stringify(label.textContent) +
             ' labelsize=' + (lr.width > 10 && lr.height > 5 ? 'ok' : 'none') +
             ' size=' + (r.width > 500 && r.height > 10 ? 'ok' : 'none') +
             ' inview=' + (r.top >= 0 && r.bottom <= view.bottom ? 'yes' : 'no') +
             ' slices=' + shown);
  });
  var pre = document.createElement('pre');
  pre.id = 'render-check';
  pre.textContent = out.join('\n') + '\nend\n';
  document.body.appendChild(pre);
});
