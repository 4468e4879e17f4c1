// Conveniences for the pages of `dataklausul serve`; every page works without this script.
// Leaving a page with changes not yet sent asks first.
(function () {
  'use strict';
  var form = document.querySelector('form[action^="/page/"]');
  if (!form) return;
  var dirty = false;
  form.addEventListener('input', function () { dirty = true; });
  form.addEventListener('submit', function () { dirty = false; });
  window.addEventListener('beforeunload', function (e) {
    if (dirty) { e.preventDefault(); e.returnValue = ''; }
  });
})();
